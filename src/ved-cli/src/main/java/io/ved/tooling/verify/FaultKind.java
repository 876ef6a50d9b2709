package io.ved.tooling.verify;

/** The kinds of fault the verifier's chaos injects, in the order the report lists them. */
public enum FaultKind {
    APP_KILL("app kill -9"),
    APP_BOUNCE("app bounce (SIGTERM, restart)"),
    APP_PAUSE("app pause (SIGSTOP)"),
    NETWORK("app network black-hole"),
    SCALE_UP("scale up"),
    SCALE_DOWN("scale down"),
    BROKER_KILL("broker kill -9"),
    BROKER_PAUSE("broker pause (SIGSTOP)"),
    BROKER_BOUNCE("broker bounce (controlled shutdown)");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    boolean onBroker() {
        return this == BROKER_KILL || this == BROKER_PAUSE || this == BROKER_BOUNCE;
    }
}
