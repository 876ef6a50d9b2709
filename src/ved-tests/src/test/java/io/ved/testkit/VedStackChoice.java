package io.ved.testkit;

import java.util.Optional;

/** Opens {@link VedStack}'s stack choice and its container stack to the tests in other packages. */
public final class VedStackChoice {
    private VedStackChoice() {
    }

    /** Whether the containers run, for what was asked, with or without Testcontainers and Docker. */
    public static boolean containers(String asked, boolean testcontainersPresent, boolean docker) {
        return VedStack.choose(asked, testcontainersPresent, docker).containers();
    }

    /** The line printed about it, if any. */
    public static Optional<String> message(String asked, boolean testcontainersPresent, boolean docker) {
        return VedStack.choose(asked, testcontainersPresent, docker).message();
    }

    /** Whether Testcontainers finds a Docker engine here. */
    public static boolean dockerAvailable() {
        return ContainerStack.dockerAvailable();
    }

    /** A new container stack (not the shared one); stop it with {@link #stop(VedStack)}. */
    public static VedStack startContainers() {
        return ContainerStack.start();
    }

    public static void stop(VedStack stack) {
        stack.stop();
    }
}
