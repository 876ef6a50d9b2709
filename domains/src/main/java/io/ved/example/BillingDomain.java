package io.ved.example;

import io.ved.api.Context;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.example.billing.BillingState;
import io.ved.example.billing.CancelOrder;
import io.ved.example.billing.Invoice;
import io.ved.example.billing.InvoiceStatus;
import io.ved.example.billing.PlaceOrder;
import io.ved.example.inventory.OutOfStock;
import io.ved.example.inventory.ReleaseStock;
import io.ved.example.inventory.ReserveStock;
import io.ved.example.inventory.StockReserved;
import java.util.HashMap;
import java.util.Map;

/**
 * The invoices of one customer account, addressed by account id: {@code BillingDomain[acme]}. Placing an order
 * opens a pending invoice and asks the item's inventory to reserve stock; the answer confirms or rejects it.
 * Cancelling gives reserved stock back. Every handler is idempotent per order id.
 */
public final class BillingDomain {
    public static final DomainType TYPE = DomainType.named("BillingDomain");

    private BillingDomain() {
    }

    public static DomainRef ref(String accountId) {
        return TYPE.ref(accountId);
    }

    public static DomainDefinition<BillingState> definition() {
        return DomainDefinition.of(TYPE, BillingState.class)
                .initialState(accountId -> BillingState.newBuilder().setAccountId(accountId).build())
                .on(PlaceOrder.class, BillingDomain::placeOrder)
                .on(StockReserved.class, BillingDomain::stockReserved)
                .on(OutOfStock.class, BillingDomain::outOfStock)
                .on(CancelOrder.class, BillingDomain::cancelOrder)
                .sends(InventoryDomain.TYPE, ReserveStock.class, ReleaseStock.class)
                .build();
    }

    /** A new order opens a pending invoice and asks for stock; an order id seen before changes nothing. */
    static BillingState placeOrder(BillingState state, PlaceOrder order, Context ctx) {
        if (state.getInvoices().containsKey(order.getOrderId())) {
            return state;
        }
        ctx.send(InventoryDomain.ref(order.getItemId()),
                new ReserveStock(order.getOrderId(), order.getItemId(), order.getQty()));
        return withInvoice(state, Invoice.newBuilder()
                .setOrderId(order.getOrderId())
                .setItemId(order.getItemId())
                .setQty(order.getQty())
                .setUnitPriceCents(order.getUnitPriceCents())
                .setStatus(InvoiceStatus.PENDING)
                .build());
    }

    /** Stock held: confirm the invoice. If the order was cancelled meanwhile, give the stock straight back. */
    static BillingState stockReserved(BillingState state, StockReserved reserved, Context ctx) {
        Invoice invoice = state.getInvoices().get(reserved.getOrderId());
        if (invoice == null) {
            return state;
        }
        return switch (invoice.getStatus()) {
            case PENDING -> withInvoice(state, withStatus(invoice, InvoiceStatus.CONFIRMED, null));
            case CANCELLED -> {
                releaseStock(invoice, ctx);
                yield state;
            }
            case CONFIRMED, REJECTED -> state;
        };
    }

    static BillingState outOfStock(BillingState state, OutOfStock shortage, Context ctx) {
        Invoice invoice = state.getInvoices().get(shortage.getOrderId());
        if (invoice == null || invoice.getStatus() != InvoiceStatus.PENDING) {
            return state;
        }
        String reason = "out of stock: " + shortage.getRequested() + " requested, " + shortage.getOnHand() + " on hand";
        return withInvoice(state, withStatus(invoice, InvoiceStatus.REJECTED, reason));
    }

    /** A confirmed order gives its stock back; a pending one is marked so its reservation is returned on arrival. */
    static BillingState cancelOrder(BillingState state, CancelOrder cancel, Context ctx) {
        Invoice invoice = state.getInvoices().get(cancel.getOrderId());
        if (invoice == null) {
            return state;
        }
        return switch (invoice.getStatus()) {
            case CONFIRMED -> {
                releaseStock(invoice, ctx);
                yield withInvoice(state, withStatus(invoice, InvoiceStatus.CANCELLED, "cancelled by the customer"));
            }
            case PENDING -> withInvoice(state, withStatus(invoice, InvoiceStatus.CANCELLED, "cancelled by the customer"));
            case REJECTED, CANCELLED -> state;
        };
    }

    private static void releaseStock(Invoice invoice, Context ctx) {
        ctx.send(InventoryDomain.ref(invoice.getItemId()),
                new ReleaseStock(invoice.getItemId(), invoice.getQty(), invoice.getOrderId()));
    }

    private static Invoice withStatus(Invoice invoice, InvoiceStatus status, String reason) {
        return Invoice.newBuilder(invoice).setStatus(status).setReason(reason).build();
    }

    private static BillingState withInvoice(BillingState state, Invoice invoice) {
        Map<String, Invoice> invoices = new HashMap<>(state.getInvoices());
        invoices.put(invoice.getOrderId(), invoice);
        return BillingState.newBuilder(state).setInvoices(invoices).build();
    }
}
