package dev.ankisupervisor.os;

import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * The few libc functions the supervisor calls itself ({@code kill}, and the datagram calls of
 * sd_notify), through jffi's call interface. Not through jnr-posix or jnr-unixsocket: their jnr-ffi
 * generates the bindings with ASM at run time, several hundred classes and more than ten MiB of
 * resident memory for a process that runs for months (measured in docs/performance.md). jffi's
 * native stub is loaded at the first call.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Libc {
  /** The invoker of every call here. */
  public static final Invoker INVOKER = Invoker.getInstance();

  private Libc() {}

  /**
   * libc's {@code name} (from the process's own symbols) with these C types, keeping errno for
   * {@link #errno()}.
   *
   * @throws IllegalStateException libc has no such function
   */
  public static Function function(String name, Type result, Type... params) {
    long address = Library.getDefault().getSymbolAddress(name);
    if (address == 0) {
      throw new IllegalStateException("libc has no " + name + ": " + Library.getLastError());
    }
    return new Function(address, result, params, CallingConvention.DEFAULT, true);
  }

  /** errno of this thread's last call through a function made here. */
  public static int errno() {
    return LastError.getInstance().get();
  }
}
