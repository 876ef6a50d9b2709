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

    /**
     * What other processes burn while this test does nothing; the test is skipped when that alone is too much to
     * tell the benchmark's own load from theirs (e.g. a second build on the same two cores).
     */
    private static double quietOtherLoad() throws InterruptedException {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs /proc/stat (Linux)");
        OtherLoad quiet = OtherLoad.start();
        long started = System.nanoTime();
        Thread.sleep(700);
        double baseline = quiet.share(Duration.ofNanos(System.nanoTime() - started)).orElse(0.0);
        double oneCore = 1.0 / Runtime.getRuntime().availableProcessors();
        assumeTrue(baseline < oneCore * 0.5, () -> String.format(
                "other processes already use %.0f%% of the machine; cannot tell this test's load from theirs", baseline * 100));
        return baseline;
    }

    @Test
    void cpuThisProcessBurnsIsNotCountedAsOtherLoad() throws InterruptedException {
        double baseline = quietOtherLoad();
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
                .isBetween(0.0, baseline + oneCore * 0.9);
    }

    @Test
    void aChildThatEndedDuringTheRunIsNotOtherLoadEither() throws Exception {
        double baseline = quietOtherLoad();
        OtherLoad load = OtherLoad.start();
        long started = System.nanoTime();
        // About two seconds of CPU in a child that is gone before the share is taken, as the recovery run's killed app is.
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done").start();
        assertThat(child.waitFor()).isZero();
        Thread.sleep(600); // one more sampling round after the child's end

        double other = load.share(Duration.ofNanos(System.nanoTime() - started)).orElseThrow();

        double oneCore = 1.0 / Runtime.getRuntime().availableProcessors();
        assertThat(other).as("the child's CPU was the benchmark's own").isLessThan(baseline + oneCore * 0.6);
    }
}
