package io.ved.runtime.topology;

/** The topology file, or the domains registered against it, do not make a runnable application. */
public class TopologyFileException extends RuntimeException {
    public TopologyFileException(String message) {
        super(message);
    }

    public TopologyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
