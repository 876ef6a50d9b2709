package io.ved.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Everything Ved needs to know about one domain type: its name, its state record, one handler per message
 * type it accepts, and the message types it sends to each other domain type (checked when the topology is
 * built, so a wrong wiring fails at start-up rather than at run time). Build one with {@link #of}.
 *
 * <pre>{@code
 * DomainDefinition<InventoryState> inventory = DomainDefinition.of(INVENTORY, InventoryState.class)
 *     .initialState(id -> InventoryState.newBuilder().setItemId(id).build())
 *     .on(ReserveStock.class, Inventory::reserve)
 *     .replies(StockReserved.class, OutOfStock.class)
 *     .build();
 * }</pre>
 */
public final class DomainDefinition<S extends SpecificRecord> {
    private final DomainType type;
    private final Class<S> stateClass;
    private final Function<String, S> initialState;
    private final Map<Class<? extends SpecificRecord>, Handler<S, ? extends SpecificRecord>> handlers;
    private final Map<DomainType, Set<Class<? extends SpecificRecord>>> sends;
    private final Set<Class<? extends SpecificRecord>> replies;

    private DomainDefinition(Builder<S> b) {
        this.type = b.type;
        this.stateClass = b.stateClass;
        this.initialState = b.initialState;
        this.handlers = Collections.unmodifiableMap(new LinkedHashMap<>(b.handlers));
        Map<DomainType, Set<Class<? extends SpecificRecord>>> copy = new LinkedHashMap<>();
        b.sends.forEach((t, s) -> copy.put(t, Collections.unmodifiableSet(new LinkedHashSet<>(s))));
        this.sends = Collections.unmodifiableMap(copy);
        this.replies = Collections.unmodifiableSet(new LinkedHashSet<>(b.replies));
    }

    public static <S extends SpecificRecord> Builder<S> of(DomainType type, Class<S> stateClass) {
        return new Builder<>(type, stateClass);
    }

    public DomainType type() {
        return type;
    }

    public Class<S> stateClass() {
        return stateClass;
    }

    public Schema stateSchema() {
        return schemaOf(stateClass);
    }

    /** The state of an instance that has never handled a message. */
    public S initialState(String id) {
        return Objects.requireNonNull(initialState.apply(id), () -> type + ": initial state for '" + id + "' is null");
    }

    /** Accepted message types, in registration order. */
    public Set<Class<? extends SpecificRecord>> accepts() {
        return handlers.keySet();
    }

    @SuppressWarnings("unchecked")
    public <M extends SpecificRecord> Handler<S, M> handlerFor(Class<M> messageClass) {
        return (Handler<S, M>) handlers.get(messageClass);
    }

    /** Declared sends: target domain type -> the message types sent to it. */
    public Map<DomainType, Set<Class<? extends SpecificRecord>>> sends() {
        return sends;
    }

    /** Declared replies: message types this domain may send back to whoever sent to it. */
    public Set<Class<? extends SpecificRecord>> replies() {
        return replies;
    }

    public boolean declaresSend(DomainType target, Class<? extends SpecificRecord> messageClass) {
        return sends.getOrDefault(target, Set.of()).contains(messageClass);
    }

    public static Schema schemaOf(Class<? extends SpecificRecord> recordClass) {
        return SpecificData.get().getSchema(recordClass);
    }

    @Override
    public String toString() {
        return "DomainDefinition[" + type + ", accepts " + accepts().stream().map(Class::getSimpleName).toList() + "]";
    }

    /** Collects a domain's handlers and declared sends; {@link #build()} checks that they make sense. */
    public static final class Builder<S extends SpecificRecord> {
        private final DomainType type;
        private final Class<S> stateClass;
        private Function<String, S> initialState;
        private final Map<Class<? extends SpecificRecord>, Handler<S, ? extends SpecificRecord>> handlers = new LinkedHashMap<>();
        private final Map<DomainType, Set<Class<? extends SpecificRecord>>> sends = new LinkedHashMap<>();
        private final Set<Class<? extends SpecificRecord>> replies = new LinkedHashSet<>();

        private Builder(DomainType type, Class<S> stateClass) {
            this.type = Objects.requireNonNull(type, "domain type");
            this.stateClass = Objects.requireNonNull(stateClass, "state class");
        }

        /** How to make the state of an instance that has not handled anything yet, from its id. */
        public Builder<S> initialState(Function<String, S> initialState) {
            this.initialState = Objects.requireNonNull(initialState, "initial state");
            return this;
        }

        /** Registers the handler of one message type. A message type may have only one handler. */
        public <M extends SpecificRecord> Builder<S> on(Class<M> messageClass, Handler<S, M> handler) {
            Objects.requireNonNull(messageClass, "message class");
            Objects.requireNonNull(handler, "handler");
            if (handlers.putIfAbsent(messageClass, handler) != null) {
                throw new IllegalStateException(type + " registers two handlers for " + messageClass.getSimpleName());
            }
            return this;
        }

        /** Declares that handlers of this domain send these message types to the target domain type. */
        @SafeVarargs
        public final Builder<S> sends(DomainType target, Class<? extends SpecificRecord>... messageClasses) {
            Set<Class<? extends SpecificRecord>> declared =
                    sends.computeIfAbsent(Objects.requireNonNull(target, "target type"), t -> new LinkedHashSet<>());
            for (Class<? extends SpecificRecord> messageClass : messageClasses) {
                declared.add(Objects.requireNonNull(messageClass, "message class"));
            }
            return this;
        }

        /** Declares the message types this domain sends back with {@link Context#reply}. */
        @SafeVarargs
        public final Builder<S> replies(Class<? extends SpecificRecord>... messageClasses) {
            for (Class<? extends SpecificRecord> messageClass : messageClasses) {
                replies.add(Objects.requireNonNull(messageClass, "message class"));
            }
            return this;
        }

        public DomainDefinition<S> build() {
            if (initialState == null) {
                throw new IllegalStateException(type + " has no initial state: call initialState(id -> ...)");
            }
            if (handlers.isEmpty()) {
                throw new IllegalStateException(type + " accepts no message type: register at least one handler with on(...)");
            }
            return new DomainDefinition<>(this);
        }
    }
}
