package io.ved.tooling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's own work is not "other" load: while only this JVM burns CPU, the share left to other processes
 * stays well below what a second busy process would add (its own full core would be 1/cores of the machine).
 */
class OtherLoadTest {

    @Test
    void cpuThisProcessBurnsIsNotCountedAsOtherLoad() {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs /proc/stat (Linux)");
        OtherLoad load = OtherLoad.start();
        long started = System.nanoTime();
        long end = started + Duration.ofMillis(1_500).toNanos();
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }

        OptionalDouble other = load.share(Duration.ofNanos(System.nanoTime() - started));

        assertThat(spins).isPositive();
        assertThat(other).isPresent();
        double oneCore = 1.0 / Runtime.getRuntime().availableProcessors();
        assertThat(other.getAsDouble()).as("this JVM's busy core must not show up as other load")
                .isBetween(0.0, oneCore * 0.9);
    }

    @Test
    void aChildThatEndedDuringTheRunIsNotOtherLoadEither() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs /proc/stat (Linux)");
        OtherLoad load = OtherLoad.start();
        long started = System.nanoTime();
        // About two seconds of CPU in a child that is gone before the share is taken, as the recovery run's killed app is.
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done").start();
        assertThat(child.waitFor()).isZero();
        Thread.sleep(600); // one more sampling round after the child's end

        double other = load.share(Duration.ofNanos(System.nanoTime() - started)).orElseThrow();

        double oneCore = 1.0 / Runtime.getRuntime().availableProcessors();
        assertThat(other).as("the child's CPU was the benchmark's own").isLessThan(oneCore * 0.6);
    }
}
