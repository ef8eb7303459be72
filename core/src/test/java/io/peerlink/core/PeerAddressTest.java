package io.peerlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressTest {

    @Test
    void parsesHostAndPort() {
        assertThat(PeerAddress.parse("127.0.0.1:7000")).isEqualTo(new PeerAddress("127.0.0.1", 7000));
        assertThat(PeerAddress.parse(" node-1.example.org:0 ")).isEqualTo(new PeerAddress("node-1.example.org", 0));
        assertThat(PeerAddress.parse("h:65535").port()).isEqualTo(65535);
    }

    @Test
    void parsesBracketedIpv6() {
        PeerAddress a = PeerAddress.parse("[::1]:7000");
        assertThat(a.host()).isEqualTo("::1");
        assertThat(a.port()).isEqualTo(7000);

        PeerAddress full = PeerAddress.parse("[2001:db8::42%eth0]:443");
        assertThat(full.host()).isEqualTo("2001:db8::42%eth0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:7000", "[::1]:7000", "[2001:db8::1]:1", "example.org:80"})
    void textRoundTrips(String text) {
        assertThat(PeerAddress.parse(text).toString()).isEqualTo(text);
        assertThat(PeerAddress.parse(PeerAddress.parse(text).toString())).isEqualTo(PeerAddress.parse(text));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "localhost|invalid address 'localhost' (expected: host:port)",
                ":7000|invalid address ':7000' (expected: host:port)",
                "host:|invalid address 'host:' (expected: host:port)",
                "::1:7000|invalid address '::1:7000' (expected: host:port)",
                "[::1]|invalid address '[::1]' (expected: [ipv6]:port)",
                "[::1:7000|invalid address '[::1:7000' (expected: [ipv6]:port)",
                "[::1]7000|invalid address '[::1]7000' (expected: [ipv6]:port)",
                "[::1]:|invalid address '[::1]:': port '' is not a number",
                "host:http|invalid address 'host:http': port 'http' is not a number",
                "host:65536|invalid address 'host:65536': port 65536 (expected: 0-65535)",
                "host:-1|invalid address 'host:-1': port -1 (expected: 0-65535)",
            })
    void rejectsBadTextWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> PeerAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsAnEmptyBracketedHost() {
        assertThatThrownBy(() -> PeerAddress.parse("[]:7000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host: empty (expected: a host name or IP address)");
    }

    @Test
    void constructorChecksItsArguments() {
        assertThatThrownBy(() -> new PeerAddress(" ", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host: empty (expected: a host name or IP address)");
        assertThatThrownBy(() -> new PeerAddress("h", 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> new PeerAddress(null, 1))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("host");
    }

    @Test
    void convertsSocketAddressesByLiteralIp() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9000);
        assertThat(PeerAddress.of(v6)).isEqualTo(new PeerAddress("0:0:0:0:0:0:0:1", 9000));
        assertThat(PeerAddress.of(v6).toString()).isEqualTo("[0:0:0:0:0:0:0:1]:9000");

        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("peer.example", 7000);
        assertThat(PeerAddress.of(unresolved)).isEqualTo(new PeerAddress("peer.example", 7000));

        InetSocketAddress back = PeerAddress.parse("peer.example:7000").toUnresolved();
        assertThat(back.isUnresolved()).isTrue();
        assertThat(back.getHostString()).isEqualTo("peer.example");
        assertThat(back.getPort()).isEqualTo(7000);
    }
}
