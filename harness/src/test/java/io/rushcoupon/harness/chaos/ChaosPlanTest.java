package io.rushcoupon.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** A seed is a replay: the same plan every time, within the bounds docs/reliability.md states. */
class ChaosPlanTest {

    @Test
    void makesTheSamePlanFromTheSameSeed() {
        assertThat(ChaosPlan.generate(42)).isEqualTo(ChaosPlan.generate(42));
        assertThat(ChaosPlan.generate(42)).isNotEqualTo(ChaosPlan.generate(43));
    }

    @Test
    void keepsEveryPlanWithinItsBounds() {
        LongStream.rangeClosed(1, 200).mapToObj(ChaosPlan::generate).forEach(plan -> {
            assertThat(plan.units()).isBetween(50, 300);
            assertThat(plan.users()).isBetween(2 * plan.units(), 5 * plan.units());
            assertThat(plan.poisoned()).allSatisfy(user -> assertThat(user)
                    .isBetween(plan.firstUser(), plan.firstUser() + plan.users() / 5));
            assertThat(plan.faults()).isNotEmpty().allSatisfy(step -> assertThat(step.atMillis())
                    .isLessThan(plan.rushMillis()));
            assertThat(plan.admin()).allSatisfy(step -> assertThat(step.atMillis()).isPositive());
        });
    }

    @Test
    void coversEveryFaultAndOperationAcrossSeeds() {
        var plans = LongStream.rangeClosed(1, 200).mapToObj(ChaosPlan::generate).toList();

        assertThat(plans.stream().flatMap(plan -> plan.faults().stream()).map(ChaosPlan.Step::fault))
                .contains(ChaosPlan.Fault.values());
        assertThat(plans.stream().flatMap(plan -> plan.admin().stream()).map(ChaosPlan.Step::operation))
                .contains(ChaosPlan.Operation.values());
        assertThat(plans.stream().flatMap(plan -> plan.faults().stream()).map(ChaosPlan.Step::recovery))
                .contains(ChaosPlan.Recovery.values());
    }
}
