package dev.ankisupervisor.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which service a process runs as, from /proc/self/cgroup texts as systemd 252 writes them. */
class ServiceUnitTest {
  @Test
  void aSystemServiceIsNamedByItsCgroup() {
    assertThat(ServiceUnit.fromCgroup("0::/system.slice/anki-connect.service\n")).contains("anki-connect");
    assertThat(ServiceUnit.fromCgroup("0::/system.slice/system-anki\\x2dconnect.slice/anki-connect@alice.service\n"))
        .contains("anki-connect@alice");
    // cgroup v1 (hybrid too): the name=systemd hierarchy
    assertThat(ServiceUnit.fromCgroup("12:pids:/system.slice/anki-connect.service\n"
        + "1:name=systemd:/system.slice/anki-connect.service\n")).contains("anki-connect");
    // a delegated subgroup of the service
    assertThat(ServiceUnit.fromCgroup("0::/system.slice/anki-connect.service/payload\n")).contains("anki-connect");
  }

  @Test
  void noServiceOrAUserManagersServiceIsNone() {
    assertThat(ServiceUnit.fromCgroup("0::/user.slice/user-1000.slice/session-3.scope\n")).isEmpty();
    assertThat(ServiceUnit.fromCgroup("0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.service\n")).isEmpty();
    assertThat(ServiceUnit.fromCgroup("0::/\n")).isEmpty();
    assertThat(ServiceUnit.fromCgroup("")).isEmpty();
  }

  @Test
  void withoutSystemdsInvocationIdThereIsNoUnit() {
    assertThat(ServiceUnit.current(Map.of())).isEmpty();
  }
}
