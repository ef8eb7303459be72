package io.peerlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void parsesTheTextFormCaseInsensitively() {
        assertThat(Role.parse("validator")).isEqualTo(Role.VALIDATOR);
        assertThat(Role.parse(" Gateway ")).isEqualTo(Role.GATEWAY);
        assertThat(Role.parse("OBSERVER")).isEqualTo(Role.OBSERVER);
    }

    @Test
    void textRoundTrips() {
        for (Role r : Role.values()) {
            assertThat(Role.parse(r.text())).isEqualTo(r);
            assertThat(r.toString()).isEqualTo(r.text()).isLowerCase();
        }
    }

    @Test
    void onlyValidatorsAreValidators() {
        assertThat(Role.VALIDATOR.isValidator()).isTrue();
        assertThat(Role.GATEWAY.isValidator()).isFalse();
        assertThat(Role.OBSERVER.isValidator()).isFalse();
    }

    @Test
    void rejectsUnknownTextNamingTheAcceptedValues() {
        assertThatThrownBy(() -> Role.parse("leader"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid role 'leader' (expected: validator, gateway or observer)");
        assertThatThrownBy(() -> Role.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: validator, gateway or observer)");
    }
}
