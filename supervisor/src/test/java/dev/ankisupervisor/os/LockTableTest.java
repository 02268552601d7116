package dev.ankisupervisor.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.Python3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTableTest {
  @TempDir Path dir;

  @Test
  void parsesGrantedLocksAndSkipsWaitersAndOddLines() {
    String text = String.join("\n",
        "1: POSIX  ADVISORY  WRITE 8075 fe:00:2147144 1073741826 1073742335",
        "1: -> POSIX  ADVISORY  WRITE 9000 fe:00:2147144 1073741826 1073742335",
        "2: FLOCK  ADVISORY  READ 77 103:05:42 0 EOF",
        "3: OFDLCK ADVISORY  WRITE -1 08:01:99 0 EOF",
        "4: LEASE  ACTIVE    READ 5 <none>:0 0 EOF",
        "garbage");

    assertThat(LockTable.parse(text)).containsExactly(
        new LockTable.Lock("POSIX", true, 8075, 0xfe, 0, 2147144),
        new LockTable.Lock("FLOCK", false, 77, 0x103, 5, 42),
        new LockTable.Lock("OFDLCK", true, -1, 8, 1, 99));
  }

  @Test
  void decodesGlibcDeviceNumbersIncludingLargeOnes() {
    assertThat(LockTable.major(65024)).isEqualTo(0xfe);
    assertThat(LockTable.minor(65024)).isEqualTo(0);
    long dev = makedev(0x1234, 0x56789);
    assertThat(LockTable.major(dev)).isEqualTo(0x1234);
    assertThat(LockTable.minor(dev)).isEqualTo(0x56789);
  }

  @Test
  void findsTheRealProcessHoldingAnExclusiveSqliteLock() throws Exception {
    Path db = dir.resolve("collection.anki2");
    try (Python3.Started holder = Python3.start(Python3.HOLD_SQLITE_LOCK, db.toString())) {
      List<LockTable.Lock> locks = LockTable.system().holdersOf(db);

      assertThat(locks).isNotEmpty().allSatisfy(l -> assertThat(l.pid()).isEqualTo(holder.process().pid()));
      assertThat(locks).anySatisfy(l -> assertThat(l.write()).isTrue());
    }
    assertThat(LockTable.system().holdersOf(db)).isEmpty();
  }

  @Test
  void aMissingOrUnlockedFileHasNoHolders() throws Exception {
    assertThat(LockTable.system().holdersOf(dir.resolve("nope"))).isEmpty();
    Files.writeString(dir.resolve("free"), "x");
    assertThat(LockTable.system().holdersOf(dir.resolve("free"))).isEmpty();
  }

  /** glibc's gnu_dev_makedev. */
  private static long makedev(long major, long minor) {
    return ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
  }
}
