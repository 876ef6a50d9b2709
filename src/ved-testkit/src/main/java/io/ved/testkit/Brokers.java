package io.ved.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How many Kafka nodes the {@link VedStack} that {@link VedStackExtension} gives must have: on the parameter, the
 * test method or the test class (the nearest wins). {@code @Brokers(3)} is a replicated cluster of three KRaft nodes
 * in their own processes ({@link VedStack#shared(int)}); without it the test gets {@link VedStack#shared()}.
 *
 * <pre>{@code
 * @Test
 * void survivesALeaderKill(@Brokers(3) VedStack stack) { ... stack.cluster().leaderOf(partition) ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Brokers {
    /** The number of Kafka nodes, at least 1. */
    int value();
}
