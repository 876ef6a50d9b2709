package io.ved.example;

import io.ved.api.Context;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.OutOfStock;
import io.ved.example.inventory.ReleaseStock;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.Restock;
import io.ved.example.inventory.StockReserved;
import java.util.HashMap;
import java.util.Map;

/**
 * The stock of one item, addressed by item id: {@code InventoryDomain[A12]}. Reservations are remembered per
 * order, so a repeated ReserveStock or ReleaseStock for the same order changes nothing the second time.
 */
public final class InventoryDomain {
    public static final DomainType TYPE = DomainType.named("InventoryDomain");

    private InventoryDomain() {
    }

    public static DomainRef ref(String itemId) {
        return TYPE.ref(itemId);
    }

    public static DomainDefinition<InventoryState> definition() {
        return DomainDefinition.of(TYPE, InventoryState.class)
                .initialState(itemId -> InventoryState.newBuilder().setItemId(itemId).build())
                .on(Restock.class, InventoryDomain::restock)
                .on(ReserveStock.class, InventoryDomain::reserve)
                .on(ReleaseStock.class, InventoryDomain::release)
                .replies(StockReserved.class, OutOfStock.class)
                .build();
    }

    static InventoryState restock(InventoryState state, Restock restock, Context ctx) {
        return InventoryState.newBuilder(state).setOnHand(state.getOnHand() + restock.getQty()).build();
    }

    /** Enough on hand: hold it for the order and say so. Not enough: say what is on hand and change nothing. */
    static InventoryState reserve(InventoryState state, ReserveStock request, Context ctx) {
        Integer held = state.getReservations().get(request.getOrderId());
        if (held != null) {
            ctx.reply(new StockReserved(request.getOrderId(), request.getItemId(), held));
            return state;
        }
        if (state.getOnHand() < request.getQty()) {
            ctx.reply(new OutOfStock(request.getOrderId(), request.getItemId(), request.getQty(), state.getOnHand()));
            return state;
        }
        Map<String, Integer> reservations = new HashMap<>(state.getReservations());
        reservations.put(request.getOrderId(), request.getQty());
        ctx.reply(new StockReserved(request.getOrderId(), request.getItemId(), request.getQty()));
        return InventoryState.newBuilder(state)
                .setOnHand(state.getOnHand() - request.getQty())
                .setReservations(reservations)
                .build();
    }

    /** Releasing an order's reservation returns what it held, once; a release without an order returns the quantity. */
    static InventoryState release(InventoryState state, ReleaseStock release, Context ctx) {
        if (release.getOrderId() == null) {
            return InventoryState.newBuilder(state).setOnHand(state.getOnHand() + release.getQty()).build();
        }
        Integer held = state.getReservations().get(release.getOrderId());
        if (held == null) {
            return state;
        }
        Map<String, Integer> reservations = new HashMap<>(state.getReservations());
        reservations.remove(release.getOrderId());
        return InventoryState.newBuilder(state)
                .setOnHand(state.getOnHand() + held)
                .setReservations(reservations)
                .build();
    }
}
