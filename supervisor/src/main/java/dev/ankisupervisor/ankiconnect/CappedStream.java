package dev.ankisupervisor.ankiconnect;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An input stream that fails with {@link TooLong} once more than a cap has been read. Not thread-safe. */
final class CappedStream extends FilterInputStream {
  /** Thrown when the stream goes past its cap. */
  static final class TooLong extends IOException {
    TooLong(long cap) {
      super("more than " + cap + " bytes");
    }
  }

  private final long cap;
  private long read;

  CappedStream(InputStream in, long cap) {
    super(in);
    this.cap = cap;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(int n) throws TooLong {
    read += n;
    if (read > cap) {
      throw new TooLong(cap);
    }
  }
}
