package io.rushcoupon.localstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CpuAccountTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void readsOwnAndReapedChildrenTimesAfterANameWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String line = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194304 99 0 0 0 700 300 55 45 20 0 1 0 81816";

        CpuAccount.ProcessTimes times = CpuAccount.ProcessTimes.parse(line);

        assertThat(times.name()).isEqualTo("java (bench) x");
        assertThat(times.ownTicks()).isEqualTo(1000);
        assertThat(times.reapedChildrenTicks()).isEqualTo(100);
    }

    @Test
    void countsIdleAndIowaitAsTheOnlyNotBusyMachineTime() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] ticks = CpuAccount.machineTicks("cpu  600 10 200 1000 90 5 25 10 300 0");

        assertThat(ticks).containsExactly(850, 1940);
    }

    @Test
    void refusesLinesThatAreNotWhatTheyClaim() {
        assertThatIllegalArgumentException().isThrownBy(() -> CpuAccount.machineTicks("cpu0 1 2 3 4"));
        assertThatIllegalArgumentException().isThrownBy(() -> CpuAccount.ProcessTimes.parse("no name here"));
    }

    @Test
    void splitsTheMachinesBusyTimeIntoGroupsAndOtherAndPricesEachUnitOfWork() {
        var from = new CpuAccount.Snapshot(0, Map.of("gateway", 1_000L, CpuAccount.REDIS, 500L), 10_000, 40_000);
        // 10 s later on 2 cores: 2,000 ticks in all, 1,500 busy; a wrk run started in between
        var to = new CpuAccount.Snapshot(10 * SECOND,
                Map.of("gateway", 1_800L, CpuAccount.REDIS, 700L, CpuAccount.WRK, 300L), 11_500, 42_000);

        Map<String, Object> figures = CpuAccount.between(from, to, 5_000, "Admission", 2);

        assertThat(figures).containsEntry("wallS", 10.0).containsEntry("machineBusyPct", 75.0)
                .containsEntry("machineCpuSeconds", 15.0)
                .containsEntry("cpuMsPerAdmission", 3.0)
                .containsEntry("atFullMachinePerS", 667L);
        assertThat(figures.get("cpuSeconds")).isEqualTo(Map.of("gateway", 8.0, CpuAccount.REDIS, 2.0,
                CpuAccount.WRK, 3.0, CpuAccount.OTHER, 2.0));
    }

    @Test
    void leavesThePriceOutWhenNothingWasDone() {
        var snapshot = new CpuAccount.Snapshot(0, Map.of(), 0, 0);

        assertThat(CpuAccount.between(snapshot, snapshot, 0, "Request", 2))
                .doesNotContainKey("cpuMsPerRequest").containsEntry("machineBusyPct", null);
    }
}
