package io.ved.tooling.send;

import io.ved.api.DomainDefinition;
import io.ved.runtime.DomainCatalog;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns a {@link SendRequest} into an instance of the message's generated class, checked against the local
 * domain definitions, the topology file and the message's schema before anything connects: the domain type
 * exists, it accepts the message type, and every field is known, given (or defaulted) and of the right type.
 *
 * <pre>{@code
 * CheckedSend send = new MessageBuilder(catalog).build("InventoryDomain[88] ReleaseStock(item_id: \"A12\", qty: 1)");
 * }</pre>
 */
public final class MessageBuilder {
    private final MessageTypes messageTypes;

    public MessageBuilder(DomainCatalog catalog) {
        this.messageTypes = new MessageTypes(catalog);
    }

    /**
     * @throws SendSyntaxException     if the text cannot be read
     * @throws InvalidMessageException if it does not fit the domain or the schema
     */
    public CheckedSend build(String sendText) {
        return build(SendSyntax.parse(sendText));
    }

    /** The {@code --json} form: target and message type from the command line, the fields as a JSON object. */
    public CheckedSend buildJson(String target, String messageType, String json) {
        return build(JsonMessage.parse(target, messageType, json));
    }

    /** @throws InvalidMessageException if the request does not fit the domain or the schema */
    public CheckedSend build(SendRequest request) {
        Class<? extends SpecificRecord> type = messageTypes.resolve(request.target().type(), request.messageType());
        Schema schema = DomainDefinition.schemaOf(type);
        // The class's own model knows its enums, nested classes and logical-type conversions.
        SpecificData model = SpecificData.getForClass(type);
        GenericData.Record generic = new ValueChecker(model).message(schema, request.fields());
        return new CheckedSend(request.target(), type.cast(model.deepCopy(schema, generic)));
    }
}
