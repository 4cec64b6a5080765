package io.rushcoupon.system.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rushcoupon.harness.chaos.ChaosRunner;
import io.rushcoupon.harness.chaos.ChaosRunner.Summary;
import io.rushcoupon.system.SystemStack;

/**
 * The randomized history checker (docs/reliability.md, "Randomized history checker") on fixed
 * seeds, the same runs {@code ./rushcoupon chaos --runs 1 --seed S} makes: each seed a rush with
 * retrying users, admin operations and faults on one stack (schema {@code it_system_tests_chaos},
 * a redis-server of its own), its history checked. A violation fails the test with the checker's
 * output: the rule, the excerpt of the history that shows it, the replay command.
 */
@Tag("chaos")
class ChaosHistoryIntegrationTest {

    private static ChaosRunner runner;
    private static ByteArrayOutputStream output;

    @BeforeAll
    static void startRunner() {
        output = new ByteArrayOutputStream();
        // the run lines go to the test's output file and into the assertion message alike
        PrintStream both = new PrintStream(new TeeStream(output, System.out), true, StandardCharsets.UTF_8);
        runner = new ChaosRunner(() -> ChaosRunner.configure(SystemStack.builder("chaos")).start(), both,
                progress -> System.out.println("  … " + progress), Path.of("target", "system-logs", "chaos"));
    }

    @AfterAll
    static void stopRunner() throws InterruptedException {
        if (runner != null) {
            runner.close();
        }
    }

    /**
     * Between them: a close while requests are pending, after a worker stall and Redis restarted
     * empty (1); Redis restarted empty with an admin change published before the reconciler, raises,
     * a window ended and reopened, and a poisonous claim (2); worker lag with the total lowered
     * during it (the worker rejects SOLD_OUT), raises after, a second stall (4). On the code before
     * the fixes of issue #12 seeds 1 and 2 fail (docs/reliability.md).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 4})
    void keepsEveryInvariantAndEveryAnswerHonestThroughARandomizedRush(long seed) throws Exception {
        output.reset();
        Summary summary = runner.run(List.of(seed));

        assertThat(summary.allHeld()).as(() -> output.toString(StandardCharsets.UTF_8)).isTrue();
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
