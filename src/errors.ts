// Every class spells out its name: errors cross from workers as { name, message },
// and the worker bundle is minified, so new.target.name would be a mangled identifier
// there (and in any minifying user bundle) and the type would be lost.

/** Base class of every error kolmo throws on purpose. */
export class KolmoError extends Error {
  override name = 'KolmoError';
}

/** The input is not a valid .kz stream: bad magic, impossible lengths, truncation, trailing bytes. */
export class KolmoFormatError extends KolmoError {
  override name = 'KolmoFormatError';
}

/** A frame decoded to bytes whose CRC32 differs from the stored one (damaged data). */
export class KolmoChecksumError extends KolmoError {
  override name = 'KolmoChecksumError';
}

/** The stream was made with a model that this build does not have. */
export class KolmoModelMismatchError extends KolmoError {
  override name = 'KolmoModelMismatchError';
}

/**
 * Levels 2 and 3 need the model file, which is not loaded and cannot be here: outside Node,
 * await loadModels() before a synchronous call at those levels; also when the file cannot be
 * read or fetched.
 */
export class KolmoModelNotLoadedError extends KolmoError {
  override name = 'KolmoModelNotLoadedError';
}

/** The operation was cancelled through its AbortSignal. */
export class KolmoAbortError extends KolmoError {
  override name = 'KolmoAbortError';
}

/** Raised when the WebAssembly module cannot get the memory a frame needs. */
export class KolmoMemoryError extends KolmoError {
  override name = 'KolmoMemoryError';
}

/** Rebuilds a typed error from its name and message (errors cross from workers as plain data). */
export function reviveError(name: string, message: string): Error {
  const types: Record<string, new (m: string) => KolmoError> = {
    KolmoFormatError,
    KolmoChecksumError,
    KolmoModelMismatchError,
    KolmoModelNotLoadedError,
    KolmoAbortError,
    KolmoMemoryError,
  };
  const T = types[name];
  return T ? new T(message) : new Error(message);
}
