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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTrustRegistryTest {

    @TempDir
    Path dir;

    Path file;
    FileTrustRegistry registry;
    final List<TrustChange> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        file = dir.resolve("trust.txt");
        Files.writeString(file, A + " validator\n" + B + " validator\n");
        registry = FileTrustRegistry.load(file);
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

        List<TrustChange> changes = registry.reloadIfChanged();

        assertThat(changes).containsExactlyInAnyOrder(
                new TrustChange(A, Role.VALIDATOR, Role.OBSERVER),
                new TrustChange(B, Role.VALIDATOR, null),
                new TrustChange(C, null, Role.GATEWAY));
        assertThat(events).containsExactlyInAnyOrderElementsOf(changes);
        assertThat(changes).filteredOn(TrustChange::revoked).extracting(TrustChange::id).containsExactly(B);
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.OBSERVER, C, Role.GATEWAY));
        assertThat(registry.reloadIfChanged()).isEmpty();
    }

    @Test
    void commentOnlyEditChangesNothing() throws IOException {
        rewrite("# reordered, with a comment\n" + B + " validator\n" + A + " validator # first\n");

        assertThat(registry.reloadIfChanged()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
    }

    @Test
    void brokenFileKeepsTheOldTableUntilItIsFixed() throws IOException {
        rewrite(A + " validator\n" + B + " validatr\n");

        assertThat(registry.reloadIfChanged()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.VALIDATOR, B, Role.VALIDATOR));
        assertThat(registry.reloadIfChanged()).as("a broken file is reported once").isEmpty();

        rewrite(A + " validator\n");
        assertThat(registry.reloadIfChanged()).containsExactly(new TrustChange(B, Role.VALIDATOR, null));
        assertThat(registry.snapshot()).isEqualTo(Map.of(A, Role.VALIDATOR));
    }

    @Test
    void deletedFileKeepsTheOldTable() throws IOException {
        Files.delete(file);

        assertThat(registry.reloadIfChanged()).isEmpty();
        assertThat(registry.snapshot()).containsOnlyKeys(A, B);
    }

    @Test
    void closedSubscriptionGetsNoMoreEvents() throws Exception {
        List<TrustChange> second = new ArrayList<>();
        AutoCloseable subscription = registry.subscribe(second::add);
        subscription.close();

        rewrite(A + " validator\n");
        registry.reloadIfChanged();

        assertThat(second).isEmpty();
        assertThat(events).hasSize(1);
    }

    /** Writes new content and moves the modification time forward, so coarse file-system clocks still see it. */
    private void rewrite(String text) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }
}
