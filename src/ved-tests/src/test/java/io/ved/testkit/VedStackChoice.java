package io.ved.testkit;

import java.util.Optional;

/** Opens {@link VedStack}'s stack choice to the tests in other packages. */
public final class VedStackChoice {
    private VedStackChoice() {
    }

    public static Optional<String> of(String asked, boolean docker) {
        return VedStack.choice(asked, docker);
    }
}
