package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.testing.FakeSleeper;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BindAddressWaiterTest {
  /** Interfaces that change on each poll, as scripted; binds fail for the addresses listed in {@code unbindable}. */
  private static final class ScriptedInterfaces implements InterfaceSource {
    final List<Map<String, List<InetAddress>>> polls = new ArrayList<>();
    final List<InetAddress> unbindable = new ArrayList<>();
    int calls;

    Map<String, List<InetAddress>> now() {
      return polls.get(Math.min(calls, polls.size() - 1));
    }

    @Override
    public Optional<List<InetAddress>> addressesOf(String name) {
      Map<String, List<InetAddress>> now = now();
      calls++;
      return Optional.ofNullable(now.get(name));
    }

    @Override
    public List<InetAddress> allAddresses() {
      Map<String, List<InetAddress>> now = now();
      calls++;
      return now.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public Optional<String> tryBind(InetAddress address) {
      return unbindable.contains(address) ? Optional.of("Cannot assign requested address") : Optional.empty();
    }
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void waitsWithDoublingDelaysUntilTheTailscaleAddressAppears() throws Exception {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    ifs.polls.add(Map.of());
    ifs.polls.add(Map.of());
    ifs.polls.add(Map.of("tailscale0", List.of()));
    ifs.polls.add(Map.of("tailscale0", List.of(ip("fe80::1"), ip("100.101.102.103"))));
    FakeSleeper sleeper = new FakeSleeper();
    List<String> progress = new ArrayList<>();

    InetAddress got = new BindAddressWaiter(ifs, sleeper).await(new BindSpec.Tailscale("tailscale0", false), Duration.ofSeconds(120), progress::add);

    assertThat(got).isEqualTo(ip("100.101.102.103"));
    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(progress).containsExactly(
        "waiting for interface tailscale0: interface tailscale0 not found; next check in 100ms",
        "waiting for interface tailscale0: interface tailscale0 not found; next check in 200ms",
        "waiting for interface tailscale0: tailscale0 has no address, none in 100.64.0.0/10; next check in 400ms");
  }

  @Test
  void delaysStopGrowingAtFiveSeconds() throws Exception {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    for (int i = 0; i < 9; i++) {
      ifs.polls.add(Map.of());
    }
    ifs.polls.add(Map.of("tailscale0", List.of(ip("100.64.0.1"))));
    FakeSleeper sleeper = new FakeSleeper();

    new BindAddressWaiter(ifs, sleeper).await(new BindSpec.Tailscale("tailscale0", false), Duration.ofMinutes(5), s -> {});

    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
        Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(3200), Duration.ofSeconds(5), Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  @Test
  void timesOutNamingTheInterfaceAndTheAddressesOutsideTheRange() throws Exception {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    ifs.polls.add(Map.of("tailscale0", List.of(ip("192.168.1.5"), ip("100.128.0.1"))));
    FakeSleeper sleeper = new FakeSleeper();

    assertThatThrownBy(() -> new BindAddressWaiter(ifs, sleeper).await(new BindSpec.Tailscale("tailscale0", false), Duration.ofSeconds(2), s -> {}))
        .isInstanceOf(NetworkNotReadyException.class)
        .hasMessageStartingWith("bind address not ready after 2s: tailscale0 has 192.168.1.5, 100.128.0.1, none in 100.64.0.0/10")
        .hasMessageContaining("--network-timeout");
    // the last sleep is cut to the deadline: no time is waited past the timeout
    assertThat(sleeper.nanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void timesOutSayingTheInterfaceIsMissing() {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    ifs.polls.add(Map.of("eth0", List.of()));

    assertThatThrownBy(() -> new BindAddressWaiter(ifs, new FakeSleeper()).await(new BindSpec.Tailscale("tailscale0", false), Duration.ofSeconds(1), s -> {}))
        .isInstanceOfSatisfying(NetworkNotReadyException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.NETWORK_NOT_READY))
        .hasMessageContaining("interface tailscale0 not found");
  }

  @Test
  void withIpv6TakesOnlyTheTailscaleUlaRange() throws Exception {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    ifs.polls.add(Map.of("tailscale0", List.of(ip("100.64.0.1"), ip("fd7a:115c:a1e1::1"), ip("fd7a:115c:a1e0::5"))));

    InetAddress got = new BindAddressWaiter(ifs, new FakeSleeper()).await(new BindSpec.Tailscale("tailscale0", true), Duration.ofSeconds(1), s -> {});

    assertThat(got).isEqualTo(ip("fd7a:115c:a1e0::5"));
  }

  @Test
  void aFixedAddressMustBeAssignedAndBindable() throws Exception {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    ifs.polls.add(Map.of("eth0", List.of(ip("10.0.0.1"))));
    ifs.polls.add(Map.of("eth0", List.of(ip("10.0.0.1"), ip("10.0.0.2"))));
    ifs.unbindable.add(ip("10.0.0.2"));
    List<String> progress = new ArrayList<>();

    assertThatThrownBy(() -> new BindAddressWaiter(ifs, new FakeSleeper()).await(new BindSpec.Fixed(ip("10.0.0.2")), Duration.ofMillis(250), progress::add))
        .hasMessageContaining("a test bind on 10.0.0.2 failed: Cannot assign requested address");
    assertThat(progress.get(0)).contains("10.0.0.2 is not assigned to any interface");
  }

  @Test
  void currentReportsTheAddressOrNothing() throws Exception {
    ScriptedInterfaces ifs = new ScriptedInterfaces();
    Map<String, List<InetAddress>> none = new HashMap<>();
    ifs.polls.add(none);
    ifs.polls.add(Map.of("tailscale0", List.of(ip("100.100.1.1"))));
    BindAddressWaiter waiter = new BindAddressWaiter(ifs, new FakeSleeper());

    assertThat(waiter.current(new BindSpec.Tailscale("tailscale0", false))).isEmpty();
    assertThat(waiter.current(new BindSpec.Tailscale("tailscale0", false))).contains(ip("100.100.1.1"));
  }

  @Test
  void theRealInterfacesFindLoopbackAndBindIt() throws Exception {
    InetAddress got = new BindAddressWaiter().await(new BindSpec.Fixed(ip("127.0.0.1")), Duration.ofSeconds(5), s -> {});

    assertThat(got).isEqualTo(ip("127.0.0.1"));
    assertThat(new BindAddressWaiter().current(new BindSpec.Tailscale("no-such-if0", false))).isEmpty();
  }

  @Test
  void anyAddressOf127Slash8IsPresentOnceLoopbackIsUp() throws Exception {
    // Linux answers the whole 127.0.0.0/8 on lo though only 127.0.0.1 is listed: no wait for 127.0.0.2.
    InetAddress got = new BindAddressWaiter().await(new BindSpec.Fixed(ip("127.0.0.2")), Duration.ofSeconds(5), s -> {});
    assertThat(got).isEqualTo(ip("127.0.0.2"));
    assertThat(BindAddressWaiter.covers(ip("127.0.0.1"), ip("127.255.0.9"))).isTrue();
    assertThat(BindAddressWaiter.covers(ip("10.0.0.1"), ip("127.0.0.2"))).isFalse();
    assertThat(BindAddressWaiter.covers(ip("::1"), ip("127.0.0.2"))).isFalse();
    assertThat(BindAddressWaiter.covers(ip("127.0.0.1"), ip("10.0.0.1"))).isFalse();
  }

  @Test
  void tailscaleRangeBoundaries() throws Exception {
    assertThat(BindAddressWaiter.isTailscale(ip("100.64.0.0"), false)).isTrue();
    assertThat(BindAddressWaiter.isTailscale(ip("100.127.255.255"), false)).isTrue();
    assertThat(BindAddressWaiter.isTailscale(ip("100.63.255.255"), false)).isFalse();
    assertThat(BindAddressWaiter.isTailscale(ip("100.128.0.0"), false)).isFalse();
    assertThat(BindAddressWaiter.isTailscale(ip("fd7a:115c:a1e0:ffff::1"), true)).isTrue();
    assertThat(BindAddressWaiter.isTailscale(ip("100.64.0.1"), true)).isFalse();
  }
}
