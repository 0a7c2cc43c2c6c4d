#!/bin/sh
# Builds the development set (issue 15) from Debian packages pinned in tools/devset/manifest.tsv.
#
#   sh tools/devset/build.sh [--pin] [OUT_DIR]
#
# OUT_DIR defaults to $KOLMO_DEVSET, else build/devset (gitignored). For each package=version
# of the manifest it runs `apt-get download PKG=VERSION` (the .deb files are kept in
# OUT_DIR/.debs, so a rebuild downloads nothing), checks the .deb's Package and Version fields,
# unpacks it with `dpkg-deb -x` into a temporary directory and copies the manifest's path to
# OUT_DIR/NAME (unpack "xz": through `xz -dc`). Every file must then have the manifest's size
# and sha256, or the script fails. Needs apt-get (run `apt-get update` first), dpkg-deb, xz,
# sha256sum. It installs nothing.
#
# --pin: writes the sizes and sha256 of the files it made into the manifest (for a new or
# changed entry, whose size and sha256 are "-"); without it an entry with "-" is an error.
#
# Reserved packages: the list below is kept out of the development set (they, or files from
# them, are used elsewhere). The script refuses a manifest that names one, in any version.
set -eu

RESERVED="fortunes debian-policy python3-docutils iso-codes libwww-perl libjs-jquery node-acorn
zlib1g-dev libncurses-dev shared-mime-info ieee-data unicode-data alsa-utils libmagic-mgc"

here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/manifest.tsv"
pin=0
out=""
for a in "$@"; do
  case "$a" in
    --pin) pin=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $a" >&2; exit 2 ;;
    *) out="$a" ;;
  esac
done
[ -n "$out" ] || out="${KOLMO_DEVSET:-$here/../../build/devset}"
mkdir -p "$out/.debs"
out=$(cd "$out" && pwd)

die() { echo "build.sh: $*" >&2; exit 1; }
for t in apt-get dpkg-deb xz sha256sum; do command -v "$t" >/dev/null || die "$t is missing"; done

# The manifest's entries: lines that are not comments and not the header.
entries() { grep -v '^#' "$manifest" | tail -n +2; }

# Refuse the reserved packages (exact names, every version).
for p in $(entries | cut -f3 | sort -u); do
  for r in $RESERVED; do
    [ "$p" = "$r" ] && die "manifest names reserved package $p; it must not be used"
  done
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Download (once) and unpack every package=version.
entries | cut -f3,4 | sort -u | while IFS="$(printf '\t')" read -r pkg ver; do
  deb=$(ls "$out/.debs/${pkg}_"*.deb 2>/dev/null | while read -r f; do
    [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && echo "$f"; done | head -n 1)
  if [ -z "$deb" ]; then
    echo "download $pkg=$ver"
    (cd "$out/.debs" && apt-get download -q "$pkg=$ver" 2>&1 | grep -v 'unsandboxed' || true)
    deb=$(ls "$out/.debs/${pkg}_"*.deb 2>/dev/null | while read -r f; do
      [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && echo "$f"; done | head -n 1)
    [ -n "$deb" ] || die "apt-get download $pkg=$ver failed (run apt-get update; the version may have left the archive, see README.md)"
  fi
  [ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || die "$deb is not package $pkg"
  mkdir -p "$tmp/$pkg"
  dpkg-deb -x "$deb" "$tmp/$pkg"
done

# Copy each file, then check it.
bad=0
entries > "$tmp/entries"
: > "$tmp/pinned"
while IFS="$(printf '\t')" read -r name kind pkg ver path unpack size sha; do
  src="$tmp/$pkg/$path"
  [ -f "$src" ] || die "$pkg $ver has no file $path"
  case "$unpack" in
    -) cp "$src" "$out/$name" ;;
    xz) xz -dc "$src" > "$out/$name" ;;
    *) die "$name: unknown unpack '$unpack'" ;;
  esac
  got_size=$(wc -c < "$out/$name" | tr -d ' ')
  got_sha=$(sha256sum "$out/$name" | cut -d' ' -f1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$pkg" "$ver" "$path" "$unpack" "$got_size" "$got_sha" >> "$tmp/pinned"
  if [ "$size" = "-" ] || [ "$sha" = "-" ]; then
    [ $pin = 1 ] || { echo "build.sh: $name is not pinned (size/sha256 '-'); run with --pin" >&2; bad=1; }
  elif [ "$got_size" != "$size" ] || [ "$got_sha" != "$sha" ]; then
    echo "build.sh: $name differs from the manifest: $got_size $got_sha, expected $size $sha" >&2
    bad=1
  fi
done < "$tmp/entries"

if [ $pin = 1 ]; then
  { grep '^#' "$manifest"; grep -v '^#' "$manifest" | head -n 1; cat "$tmp/pinned"; } > "$tmp/manifest"
  cp "$tmp/manifest" "$manifest"
  echo "pinned $(wc -l < "$tmp/pinned") files in $manifest"
fi
[ $bad = 0 ] || die "the set in $out does not match the manifest"
n=$(wc -l < "$tmp/entries" | tr -d ' ')
total=$(cut -f7 "$tmp/pinned" | paste -sd+ | bc)
echo "devset: $n files, $total bytes in $out"
