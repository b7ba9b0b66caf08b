package org.dpopj.demo.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The demo's orders, in memory and bounded to the {@value #CAPACITY} most recent, so that a test
 * suite posting in a loop cannot exhaust the heap. Thread-safe.
 */
@ApplicationScoped
public class OrderBook {

    /** One order. */
    public record Order(long id, String item, int quantity, String owner, Instant created) {
    }

    static final int CAPACITY = 100;

    private final Deque<Order> orders = new ConcurrentLinkedDeque<>();
    private final AtomicLong ids = new AtomicLong();

    /** @return the orders, newest first */
    public List<Order> list() {
        return new ArrayList<>(orders);
    }

    /** @return the new order */
    public Order add(String item, int quantity, String owner) {
        Order order = new Order(ids.incrementAndGet(), item, quantity, owner, Instant.now());
        orders.addFirst(order);
        while (orders.size() > CAPACITY) {
            orders.pollLast();
        }
        return order;
    }
}
