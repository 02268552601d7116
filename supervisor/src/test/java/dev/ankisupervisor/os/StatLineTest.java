package dev.ankisupervisor.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatLineTest {
  private static final String LINE =
      "4242 ((we) ird)) S 1 4243 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 12345 1000 50 18446744073709551615\n";

  private static ProcFs.Stat parse(String text, int bufferBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[bufferBytes];
    int n = Math.min(bytes.length, buf.length);
    System.arraycopy(bytes, 0, buf, 0, n);
    return StatLine.parse(4242, buf, n);
  }

  @Test
  void readsStatePpidGroupAndStartTimeAfterTheLastParenthesis() {
    assertThat(parse(LINE, 1024)).isEqualTo(new ProcFs.Stat(4242, 'S', 1, 4243, 12345));
  }

  @Test
  void aLineEndingAtTheStartTimeIsWhole() {
    assertThat(parse("4242 (zombie) Z 4242 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999", 1024))
        .isEqualTo(new ProcFs.Stat(4242, 'Z', 4242, 4242, 999));
  }

  @Test
  void aStartTimeCutOffByAFullBufferIsNotRead() {
    // the buffer ends inside "12345": reading "123" would be another process's start time
    int cut = LINE.indexOf("12345") + 3;
    assertThat(parse(LINE, cut)).isNull();
    assertThat(parse(LINE, LINE.indexOf("12345") + 6)).as("the field and its space fit")
        .isEqualTo(new ProcFs.Stat(4242, 'S', 1, 4243, 12345));
  }

  @Test
  void refusesWhatIsNotAStatLine() {
    assertThat(parse("4242 (java) S 1 4242", 1024)).as("too short").isNull();
    assertThat(parse("4242 java S 1 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0", 1024)).as("no comm").isNull();
    assertThat(parse("4242 (java) S x 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0", 1024)).as("ppid").isNull();
    assertThat(parse("", 1024)).isNull();
  }

  @Test
  void numbersAreDecimalDigitsOnly() {
    assertThat(StatLine.number("4242")).isEqualTo(4242);
    assertThat(StatLine.number("self")).isEqualTo(-1);
    assertThat(StatLine.number("")).isEqualTo(-1);
    assertThat(StatLine.number("-1")).isEqualTo(-1);
  }
}
