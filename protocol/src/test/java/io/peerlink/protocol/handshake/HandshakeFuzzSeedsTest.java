package io.peerlink.protocol.handshake;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Ping;
import io.peerlink.protocol.wire.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the seed corpus of {@link HandshakeFuzzTest} (real handshakes from its fixed keys). Runs only when
 * asked, e.g. after a change to the transcript:
 *
 * <pre>
 * ./mvnw -o -q -B -pl core,protocol -am test -Dtest=HandshakeFuzzSeedsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DargLine.extra=-DseedDir=$PWD/protocol/src/test/resources/io/peerlink/protocol/handshake/HandshakeFuzzTestInputs/handshake
 * </pre>
 */
@EnabledIfSystemProperty(named = "seedDir", matches = ".+")
class HandshakeFuzzSeedsTest {
    @Test
    void write() throws Exception {
        Path dir = Path.of(System.getProperty("seedDir"));
        Files.createDirectories(dir);
        Envelope ping =
                Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build();

        // what a real responder (PEER) answers our initiator, then a stray ping
        Handshake ours = HandshakeFuzzTest.machine(HandshakeFuzzTest.LOCAL, Direction.OUTBOUND, 0x11);
        Envelope hello = ((Step.Send) ours.start()).messages().get(0);
        Handshake peerResponder = HandshakeFuzzTest.peerMachine(Direction.INBOUND);
        peerResponder.start();
        List<Envelope> answer = ((Step.Send) peerResponder.onMessage(hello)).messages();
        List<Envelope> toInitiator = new ArrayList<>(answer);
        toInitiator.add(ping);
        Files.write(dir.resolve("valid_responder_answer"), HandshakeFuzzTest.encode(toInitiator));
        check(ours, answer);

        // what a real initiator (PEER) sends our responder
        Handshake ourResponder = HandshakeFuzzTest.machine(HandshakeFuzzTest.LOCAL, Direction.INBOUND, 0x22);
        ourResponder.start();
        Handshake peerInitiator = HandshakeFuzzTest.peerMachine(Direction.OUTBOUND);
        Envelope peerHello = ((Step.Send) peerInitiator.start()).messages().get(0);
        List<Envelope> reply = ((Step.Send) ourResponder.onMessage(peerHello)).messages();
        peerInitiator.onMessage(reply.get(0));
        Step.Accept peerDone = (Step.Accept) peerInitiator.onMessage(reply.get(1));
        Files.write(
                dir.resolve("valid_initiator_flight"),
                HandshakeFuzzTest.encode(List.of(peerHello, peerDone.messages().get(0))));
        Step last = ourResponder.onMessage(peerDone.messages().get(0));
        if (!(last instanceof Step.Accept)) {
            throw new AssertionError(last);
        }

        Files.write(dir.resolve("identify_only"), HandshakeFuzzTest.encode(List.of(peerHello)));
        Files.write(dir.resolve("identify_twice"), HandshakeFuzzTest.encode(List.of(peerHello, peerHello)));
        Files.write(
                dir.resolve("stranger_identify"),
                HandshakeFuzzTest.encode(List.of(Envelope.newBuilder()
                        .setIdentify(Peers.identify(HandshakeFuzzTest.STRANGER, Role.VALIDATOR))
                        .build())));
        Files.write(
                dir.resolve("disconnect"),
                HandshakeFuzzTest.encode(List.of(Wire.disconnect(DisconnectReason.HANDSHAKE_TIMEOUT, "too slow"))));
        Files.write(dir.resolve("proof_first"), HandshakeFuzzTest.encode(List.of(answer.get(1), peerHello)));
        Files.write(
                dir.resolve("unknown_kind_then_ping"),
                HandshakeFuzzTest.encode(List.of(Envelope.getDefaultInstance(), ping)));
        Files.write(dir.resolve("garbage"), new byte[] {0, 5, (byte) 0xff, (byte) 0xff, 0x0a, 0x7f, 0x00, 0x01});
    }

    private static void check(Handshake ours, List<Envelope> answer) {
        ours.onMessage(answer.get(0));
        if (!(ours.onMessage(answer.get(1)) instanceof Step.Accept)) {
            throw new AssertionError("seed answer does not authenticate");
        }
    }
}
