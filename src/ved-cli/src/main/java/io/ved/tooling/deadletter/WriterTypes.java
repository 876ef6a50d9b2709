package io.ved.tooling.deadletter;

import io.ved.envelope.MessageCodec;
import io.ved.envelope.UndecodableMessageException;
import io.ved.envelope.registry.RegistryUnavailableException;
import io.ved.envelope.registry.SchemaRegistryException;
import java.util.Optional;

/**
 * The message type a value names through its writer schema, for dead letters whose envelope did not say.
 * Listing must work without a registry: once the registry does not answer, it is not asked again.
 */
public final class WriterTypes {
    private final MessageCodec codec;
    private boolean registryAnswers = true;

    public WriterTypes(MessageCodec codec) {
        this.codec = codec;
    }

    /** Knows no schema: every value without a {@code ce_type} header lists as "?". */
    public static WriterTypes none() {
        return new WriterTypes(null);
    }

    public Optional<String> typeOf(byte[] value) {
        if (codec == null || !registryAnswers) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.writerSchemaOf(value).typeName());
        } catch (UndecodableMessageException e) {
            return Optional.empty();
        } catch (RegistryUnavailableException e) {
            registryAnswers = false;
            return Optional.empty();
        } catch (SchemaRegistryException e) {
            return Optional.empty();
        }
    }

    public boolean registryAnswered() {
        return registryAnswers;
    }
}
