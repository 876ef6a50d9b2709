package io.ved.it;

import io.ved.api.DomainDefinition;
import io.ved.example.BillingDomain;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.InventoryState;
import io.ved.example.inventory.OutOfStock;
import io.ved.example.inventory.ReleaseStock;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.Restock;
import io.ved.example.inventory.StockReserved;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The example application after a code change that a replay must catch: its Restock handler counts every
 * unit twice. For {@code ved replay --domains io.ved.it.ChangedInventoryApp}.
 */
public final class ChangedInventoryApp {
    private ChangedInventoryApp() {
    }

    public static List<DomainDefinition<?>> domains() {
        return List.of(BillingDomain.definition(), DomainDefinition.of(InventoryDomain.TYPE, InventoryState.class)
                .initialState(itemId -> InventoryState.newBuilder().setItemId(itemId).build())
                .on(Restock.class, (state, restock, ctx) ->
                        InventoryState.newBuilder(state).setOnHand(state.getOnHand() + 2 * restock.getQty()).build())
                .on(ReserveStock.class, (state, request, ctx) -> {
                    if (state.getOnHand() < request.getQty()) {
                        ctx.reply(new OutOfStock(request.getOrderId(), request.getItemId(), request.getQty(), state.getOnHand()));
                        return state;
                    }
                    Map<String, Integer> reservations = new HashMap<>(state.getReservations());
                    reservations.put(request.getOrderId(), request.getQty());
                    ctx.reply(new StockReserved(request.getOrderId(), request.getItemId(), request.getQty()));
                    return InventoryState.newBuilder(state).setOnHand(state.getOnHand() - request.getQty())
                            .setReservations(reservations).build();
                })
                .on(ReleaseStock.class, (state, release, ctx) -> {
                    Integer held = state.getReservations().get(release.getOrderId());
                    if (held == null) {
                        return state;
                    }
                    Map<String, Integer> reservations = new HashMap<>(state.getReservations());
                    reservations.remove(release.getOrderId());
                    return InventoryState.newBuilder(state).setOnHand(state.getOnHand() + held).setReservations(reservations).build();
                })
                .replies(StockReserved.class, OutOfStock.class)
                .build());
    }
}
