/** Base class of every error kolmo throws on purpose. */
export class KolmoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is not a valid .kz stream: bad magic, impossible lengths, truncation, trailing bytes. */
export class KolmoFormatError extends KolmoError {}

/** A frame decoded to bytes whose CRC32 differs from the stored one (damaged data). */
export class KolmoChecksumError extends KolmoError {}

/** The stream was made with a model that this build does not have. */
export class KolmoModelMismatchError extends KolmoError {}

/** The operation was cancelled through its AbortSignal. */
export class KolmoAbortError extends KolmoError {}

/** Raised when the WebAssembly module cannot get the memory a frame needs. */
export class KolmoMemoryError extends KolmoError {}

/** Rebuilds a typed error from its name and message (errors cross from workers as plain data). */
export function reviveError(name: string, message: string): Error {
  const types: Record<string, new (m: string) => KolmoError> = {
    KolmoFormatError,
    KolmoChecksumError,
    KolmoModelMismatchError,
    KolmoAbortError,
    KolmoMemoryError,
  };
  const T = types[name];
  return T ? new T(message) : new Error(message);
}
