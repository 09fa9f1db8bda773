/**
 * Keeps the first `limit` bytes of a stream and counts the rest, so a chatty program cannot exhaust memory
 * (the rest is still read, so the program never blocks on a full pipe).
 * @internal
 */
export class OutputHead {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.kept >= this.limit) return;
    const part = chunk.length <= this.limit - this.kept ? chunk : chunk.subarray(0, this.limit - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** The kept text, trimmed, with a note when the rest was dropped. */
  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8').trim();
    if (this.total <= this.limit) return text;
    return `${text}\n[output truncated: ${this.total} bytes written, the first ${this.limit} kept]`;
  }
}

/** Keeps the last `limit` bytes of a stream (stderr's tail for error messages). @internal */
export class OutputTail {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const joined = Buffer.concat([this.buffer, chunk]);
    this.buffer = joined.length <= this.limit ? joined : joined.subarray(joined.length - this.limit);
  }

  text(): string {
    return this.buffer.toString('utf8');
  }
}
