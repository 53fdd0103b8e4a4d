package dev.baton.runtime.guard;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SCHED_FIFO through JNA: granted or refused, and a refusal says why (EPERM in most containers).
 * Asked on a throwaway thread, so a grant ends with that thread. Memory locking is checked in the
 * guard's own JVM ({@link GuardProcessTest}): locking this test JVM would pin all of it.
 */
class RealtimeTest {
    @Test
    void fifoIsGrantedOrRefusedWithTheErrno() throws InterruptedException {
        AtomicReference<RealtimeResult> result = new AtomicReference<>();
        Thread t = new Thread(() -> result.set(Realtime.trySetFifo(1)));
        t.start();
        t.join();
        RealtimeResult r = result.get();
        System.out.println("realtime: " + r.describe());
        if (r.granted()) {
            assertThat(r.errno()).isZero();
            assertThat(r.describe()).contains("SCHED_FIFO, 1", "granted");
        } else {
            assertThat(r.errno()).isNotZero();
            assertThat(r.error()).matches("(EPERM|EINVAL|ESRCH|errno \\d+) \\(.+\\)|no native access: .+");
            assertThat(r.describe()).contains("refused: " + r.error());
        }
    }

    @Test
    void aPriorityOutsideOneToNinetyNineIsRefusedBeforeTheKernelIsAsked() {
        for (int bad : new int[] {0, 100, -1}) {
            assertThatThrownBy(() -> Realtime.trySetFifo(bad)).as("" + bad).hasMessageContaining("not 1-99");
        }
    }

    @Test
    void aRefusalReadsLikeTheErrno() {
        assertThat(RealtimeResult.refused("mlockall(MCL_CURRENT|MCL_FUTURE)", 1, "EPERM (Operation not permitted)")
                .describe()).isEqualTo("mlockall(MCL_CURRENT|MCL_FUTURE): refused: EPERM (Operation not permitted)");
    }
}
