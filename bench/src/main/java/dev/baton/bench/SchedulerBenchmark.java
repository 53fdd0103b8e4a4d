package dev.baton.bench;

import dev.baton.core.rgm.Scheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One call of the RGM scheduler, {@code Scheduler.plan}, on the cluster {@link SchedulerWorkload}
 * builds: the first plan of a new cluster (every resource started somewhere), and the plan after
 * the node hosting the most groups failed and was cleared (its groups started elsewhere, the rest
 * left alone). The setup refuses to run when either plan does not have exactly the expected start
 * actions. The scheduler only reads its inputs, so each invocation plans from the same state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SchedulerBenchmark {
    @Param({"500", "2000", "10000"})
    public int resources;

    @Param({"3", "32"})
    public int nodes;

    private SchedulerWorkload workload;

    @Setup(Level.Trial)
    public void build() {
        workload = new SchedulerWorkload(resources, nodes);
        System.out.printf("%n%d groups, %d initial starts; node %d fails, %d starts to move its groups%n",
                workload.config.groupCount(), workload.expectedInitialStarts, workload.failedNode,
                workload.expectedFailoverStarts);
    }

    @Benchmark
    public void initialPlacement(Blackhole bh) {
        bh.consume(Scheduler.plan(workload.allMembers, workload.initial, SchedulerWorkload.NOW_MS));
    }

    @Benchmark
    public void nodeFailure(Blackhole bh) {
        bh.consume(Scheduler.plan(workload.withoutFailed, workload.afterFailure, SchedulerWorkload.NOW_MS));
    }
}
