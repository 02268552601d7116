package dev.ankisupervisor.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies one large file while another thread hashes the same chunks, in order: the copy of a
 * database then costs about the longer of reading-and-writing and hashing, not their sum. Every
 * byte written is hashed; the chunk is hashed after it was written and never reused before. One
 * call per copy; the hashing thread ends with it.
 */
final class HashAside {
  private static final int CHUNK = 1 << 20;
  private static final int IN_FLIGHT = 4;

  private HashAside() {}

  static long copy(FileChannel in, FileChannel out, MessageDigest sha, BackupProgress progress) throws IOException {
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(IN_FLIGHT);
    BlockingQueue<ByteBuffer> written = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    for (int i = 0; i < IN_FLIGHT; i++) {
      free.add(new byte[CHUNK]);
    }
    Thread hasher = new Thread(() -> {
      try {
        while (true) {
          ByteBuffer b = written.take();
          if (!b.hasRemaining()) {
            return; // the end mark
          }
          sha.update(b.array(), 0, b.limit());
          free.put(b.array());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "backup-hash");
    hasher.setDaemon(true);
    hasher.start();
    long n = 0;
    try {
      while (true) {
        byte[] a = free.take();
        ByteBuffer b = ByteBuffer.wrap(a);
        int r = in.read(b);
        if (r < 0) {
          break;
        }
        if (r == 0) {
          free.put(a);
          continue;
        }
        b.flip();
        while (b.hasRemaining()) {
          out.write(b);
        }
        b.flip();
        written.put(b);
        n += r;
        progress.bytes(r);
      }
      written.put(ByteBuffer.allocate(0));
      hasher.join();
    } catch (InterruptedException e) {
      hasher.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("backup interrupted");
    } catch (IOException | RuntimeException e) {
      hasher.interrupt();
      throw e;
    }
    return n;
  }
}
