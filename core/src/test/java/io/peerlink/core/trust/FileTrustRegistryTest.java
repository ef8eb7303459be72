package io.peerlink.core.trust;

import static io.peerlink.core.trust.TrustFileTest.A;
import static io.peerlink.core.trust.TrustFileTest.B;
import static io.peerlink.core.trust.TrustFileTest.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.ConfigException;
import io.peerlink.core.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTrustRegistryTest {

    @TempDir
    Path dir;

    Path file;
    FileTrustRegistry registry;
    final List<TrustChange> events = new ArrayList<>();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void setUp() throws IOException {
        file = dir.resolve("trust.txt");
        Files.writeString(file, A + " validator\n" + B + " validator\n");
        registry = FileTrustRegistry.builder(file)
                .self(A)
                .settle(Duration.ofMillis(500))
                .nanoTime(nanos::get)
                .load();
        registry.subscribe(events::add);
    }

    @Test
    void loadsTheFile() {
        assertThat(registry.file()).isEqualTo(file);
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.VALIDATOR, B, Role.VALIDATOR));
        assertThat(registry.roleOf(A)).contains(Role.VALIDATOR);
        assertThat(registry.roleOf(C)).isEmpty();
    }

    @Test
    void loadReportsAMissingOrBrokenFile() throws IOException {
        assertThatThrownBy(() -> FileTrustRegistry.load(dir.resolve("absent.txt")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
        Path broken = Files.writeString(dir.resolve("broken.txt"), "nonsense\n");
        assertThatThrownBy(() -> FileTrustRegistry.load(broken))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(broken + ":1: ");
    }

    @Test
    void unchangedFileGivesNoChanges() {
        assertThat(registry.reloadIfChanged()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void reloadPublishesAddedRevokedAndRoleChanged() throws IOException {
        rewrite(A + " observer\n" + C + " gateway\n"); // A: role changed, B: revoked, C: added

        List<TrustChange> changes = settled();

        assertThat(changes)
                .containsExactlyInAnyOrder(
                        new TrustChange(A, Role.VALIDATOR, Role.OBSERVER),
                        new TrustChange(B, Role.VALIDATOR, null),
                        new TrustChange(C, null, Role.GATEWAY));
        assertThat(events).containsExactlyInAnyOrderElementsOf(changes);
        assertThat(changes)
                .filteredOn(TrustChange::revoked)
                .extracting(TrustChange::id)
                .containsExactly(B);
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.OBSERVER, C, Role.GATEWAY));
        assertThat(registry.reloadIfChanged()).isEmpty();
    }

    @Test
    void commentOnlyEditChangesNothing() throws IOException {
        rewrite("# reordered, with a comment\n" + B + " validator\n" + A + " validator # first\n");

        assertThat(settled()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
    }

    @Test
    void brokenFileKeepsTheOldTableUntilItIsFixed() throws IOException {
        rewrite(A + " validator\n" + B + " validatr\n");

        assertThat(settled()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.VALIDATOR, B, Role.VALIDATOR));
        assertThat(settled()).as("a broken file is reported once").isEmpty();
        assertThat(registry.refusals(TrustRefusal.INVALID)).isEqualTo(1);

        rewrite(A + " validator\n");
        assertThat(settled()).containsExactly(new TrustChange(B, Role.VALIDATOR, null));
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.VALIDATOR));
    }

    @Test
    void deletedFileKeepsTheOldTable() throws IOException {
        Files.delete(file);

        assertThat(settled()).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
        assertThat(registry.refusals(TrustRefusal.MISSING)).isEqualTo(1);
        assertThat(settled()).isEmpty();
        assertThat(registry.refusals(TrustRefusal.MISSING)).as("reported once").isEqualTo(1);
    }

    @Test
    void closedSubscriptionGetsNoMoreEvents() throws Exception {
        List<TrustChange> second = new ArrayList<>();
        AutoCloseable subscription = registry.subscribe(second::add);
        subscription.close();

        rewrite(A + " validator\n");
        settled();

        assertThat(second).isEmpty();
        assertThat(events).hasSize(1);
    }

    @Test
    void anEditAppliesOnlyAfterItHasBeenUnchangedForTheSettleTime() throws IOException {
        rewrite(A + " validator\n");
        assertThat(registry.reloadIfChanged()).as("first seen").isEmpty();
        advance(400);
        assertThat(registry.reloadIfChanged()).as("not settled yet").isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);

        advance(200);
        assertThat(registry.reloadIfChanged()).containsExactly(new TrustChange(B, Role.VALIDATOR, null));
    }

    @Test
    void aFileStillBeingWrittenRestartsTheSettleTime() throws IOException {
        rewrite(A + " validator\n"); // half of the new file
        registry.reloadIfChanged();
        advance(400);
        rewrite(A + " validator\n" + B + " validator\n" + C + " gateway\n"); // the rest arrives
        assertThat(registry.reloadIfChanged()).isEmpty();
        advance(400);
        assertThat(registry.reloadIfChanged()).as("400ms after the last change").isEmpty();
        advance(200);

        assertThat(registry.reloadIfChanged()).containsExactly(new TrustChange(C, null, Role.GATEWAY));
        assertThat(events).as("B was never revoked").containsExactly(new TrustChange(C, null, Role.GATEWAY));
    }

    @Test
    void truncateThenWriteKeepsEveryEntry() throws IOException {
        String before = Files.readString(file);
        rewrite(""); // echo > file, or an editor that truncates first
        assertThat(settled()).isEmpty();
        advance(1_000);
        assertThat(registry.reloadIfChanged()).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
        assertThat(registry.refusals(TrustRefusal.EMPTY)).isEqualTo(1);

        rewrite(before);
        assertThat(settled()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
    }

    @Test
    void aCommentOnlyFileIsRefused() throws IOException {
        rewrite("# everyone is gone?\n\n# " + A + " validator\n");

        assertThat(settled()).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
        assertThat(registry.refusals(TrustRefusal.EMPTY)).isEqualTo(1);
    }

    @Test
    void aFileThatDropsThisNodeIsRefused() throws IOException {
        rewrite(B + " validator\n" + C + " validator\n");

        assertThat(settled()).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
        assertThat(registry.refusals(TrustRefusal.SELF_MISSING)).isEqualTo(1);
        assertThat(registry.refusals(TrustRefusal.EMPTY)).isZero();
    }

    @Test
    void withoutAnOwnIdDroppingAnyNodeApplies() throws IOException {
        FileTrustRegistry noSelf =
                FileTrustRegistry.builder(file).settle(Duration.ZERO).load();
        rewrite(B + " validator\n");

        assertThat(noSelf.reloadIfChanged()).containsExactly(new TrustChange(A, Role.VALIDATOR, null));
    }

    @Test
    void theRevokeAllLineLetsAnEmptyFileApply() throws IOException {
        rewrite("  #  PEERLINK: revoke-all\n");

        assertThat(settled())
                .containsExactlyInAnyOrder(
                        new TrustChange(A, Role.VALIDATOR, null), new TrustChange(B, Role.VALIDATOR, null));
        assertThat(registry.snapshot()).isEmpty();
        assertThat(registry.refusals(TrustRefusal.EMPTY)).isZero();
    }

    @Test
    void theRevokeAllLineLetsAFileDropThisNode() throws IOException {
        rewrite(TrustFile.REVOKE_ALL + "\n" + B + " validator\n");

        assertThat(settled()).containsExactly(new TrustChange(A, Role.VALIDATOR, null));
    }

    @Test
    void aSettleTimeOutOfRangeIsRefused() {
        assertThatThrownBy(() -> FileTrustRegistry.builder(file).settle(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected: 0..60s");
    }

    /** Checks, lets the settle time pass, and checks again: what the watcher does for a file left alone. */
    private List<TrustChange> settled() {
        List<TrustChange> first = registry.reloadIfChanged();
        assertThat(first).as("nothing applies at first sight").isEmpty();
        advance(600);
        return registry.reloadIfChanged();
    }

    private void advance(long millis) {
        nanos.addAndGet(millis * 1_000_000L);
    }

    /** Writes new content and moves the modification time forward, so coarse file-system clocks still see it. */
    private void rewrite(String text) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }
}
