package dev.baton.core.rgm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.type.MethodName;
import org.junit.jupiter.api.Test;

class TransitionGraphTest {

    @Test
    void anEmptyGraphHasNothingToDo() {
        TransitionGraph g = TransitionGraph.empty();
        assertThat(g.isEmpty()).isTrue();
        assertThat(g.methodCount()).isZero();
        assertThat(g.summary()).isEqualTo("Transition summary: nothing to do\n");
    }

    @Test
    void aGraphOfPseudoStepsOnlyHasNothingToDo() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.order(b.pseudo("gate"), b.pseudo("gate 2"));
        TransitionGraph g = b.build();
        assertThat(g.isEmpty()).isFalse();
        assertThat(g.methodCount()).isZero();
        assertThat(g.summary()).isEqualTo("Transition summary: nothing to do\n");
    }

    @Test
    void actionsAreNumberedInOrderSkippingPseudoSteps() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.pseudo("gate");
        int probe = b.method(1, 0, MethodName.PROBE, "probe ip on node 1");
        b.pseudo("gate 2");
        int fence = b.fence(2, "fence node 2");
        TransitionGraph g = b.build();
        assertThat(probe).isEqualTo(1);
        assertThat(fence).isEqualTo(3);
        assertThat(g.methodCount()).isEqualTo(2);
        assertThat(g.actions().get(fence).kind()).isEqualTo(Action.Kind.FENCE);
        assertThat(g.actions().get(fence).resource()).isEqualTo(-1);
        assertThat(g.summary()).isEqualTo("""
                Transition summary:
                   1. probe ip on node 1
                   2. fence node 2
                """);
    }

    @Test
    void afterNamesTheRealPredecessorsThroughPseudoSteps() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int stopApp = b.method(1, 2, MethodName.STOP, "stop app on node 1");
        int stopFs = b.method(1, 1, MethodName.STOP, "stop fs on node 1");
        int down = b.pseudo("g down on node 1");
        int down2 = b.pseudo("g down everywhere");
        int startFs = b.method(2, 1, MethodName.START, "start fs on node 2");
        int startApp = b.method(2, 2, MethodName.START, "start app on node 2");
        b.order(stopApp, stopFs);
        b.order(stopFs, down);
        b.order(stopApp, down);
        b.order(down, down2);
        b.order(down2, startFs);
        b.order(startFs, startApp);
        b.order(down, startApp);
        TransitionGraph g = b.build();

        assertThat(g.predecessorCount(startFs)).isEqualTo(1);
        assertThat(g.predecessorCount(startApp)).isEqualTo(2);
        assertThat(g.predecessorCount(down)).isEqualTo(2);
        assertThat(g.successors(stopApp)).containsExactly(stopFs, down);
        assertThat(g.summary()).isEqualTo("""
                Transition summary:
                   1. stop app on node 1
                   2. stop fs on node 1  (after 1)
                   3. start fs on node 2  (after 1, 2)
                   4. start app on node 2  (after 1, 2, 3)
                """);
    }

    @Test
    void aPredecessorReachedTwiceIsNamedOnce() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int a = b.method(1, 0, MethodName.START, "a");
        int p = b.pseudo("p");
        int q = b.pseudo("q");
        int c = b.method(1, 1, MethodName.START, "c");
        b.order(a, p);
        b.order(a, q);
        b.order(p, c);
        b.order(q, c);
        b.order(a, c);
        assertThat(b.build().summary()).isEqualTo("""
                Transition summary:
                   1. a
                   2. c  (after 1)
                """);
    }

    @Test
    void aPseudoStepWithoutPredecessorsAddsNothing() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int gate = b.pseudo("gate");
        int a = b.method(1, 0, MethodName.START, "a");
        b.order(gate, a);
        TransitionGraph g = b.build();
        assertThat(g.predecessorCount(a)).isEqualTo(1);
        assertThat(g.summary()).isEqualTo("Transition summary:\n   1. a\n");
    }

    @Test
    void numbersFollowAdditionNotOrdering() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int later = b.method(1, 0, MethodName.START, "added first, runs second");
        int first = b.method(1, 1, MethodName.STOP, "added second, runs first");
        b.order(first, later);
        assertThat(b.build().summary()).isEqualTo("""
                Transition summary:
                   1. added first, runs second  (after 2)
                   2. added second, runs first
                """);
    }

    @Test
    void numbersFromTenKeepTheirWidth() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int prev = -1;
        for (int i = 1; i <= 11; i++) {
            int a = b.method(1, i, MethodName.PROBE, "probe r" + i);
            b.order(prev, a);
            prev = a;
        }
        String summary = b.build().summary();
        assertThat(summary).contains("\n   9. probe r9  (after 8)\n");
        assertThat(summary).contains("\n  10. probe r10  (after 9)\n");
        assertThat(summary).endsWith("\n  11. probe r11  (after 10)\n");
        assertThat(summary).contains("\n   1. probe r1\n");
    }

    @Test
    void orderingWithMinusOneOrItselfIsIgnored() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        int a = b.method(1, 0, MethodName.START, "a");
        b.order(-1, a);
        b.order(a, -1);
        b.order(a, a);
        TransitionGraph g = b.build();
        assertThat(g.predecessorCount(a)).isZero();
        assertThat(g.successors(a)).isEmpty();
        assertThat(b.size()).isEqualTo(1);
    }

    @Test
    void decisionsComeFirstAndBlockedGroupsLastSortedByName() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.decision("web: node 1 failed it at 00:10, avoided for 1h");
        b.decision("web: placed on node 2");
        b.method(2, 0, MethodName.START, "start web on node 2");
        b.block("zeta", "RG_dependencies: alpha is offline");
        b.block("db", "no node of its Nodelist is a member");
        b.block("db", "a later reason is not kept");
        TransitionGraph g = b.build();
        assertThat(g.decisions()).containsExactly("web: node 1 failed it at 00:10, avoided for 1h", "web: placed on node 2");
        assertThat(g.blocked()).containsOnlyKeys("db", "zeta");
        assertThat(g.summary()).isEqualTo("""
                  web: node 1 failed it at 00:10, avoided for 1h
                  web: placed on node 2
                Transition summary:
                   1. start web on node 2
                Blocked: db: no node of its Nodelist is a member
                Blocked: zeta: RG_dependencies: alpha is offline
                """);
    }

    @Test
    void aBlockedGroupWithNothingToDo() {
        TransitionGraph.Builder b = new TransitionGraph.Builder();
        b.block("web", "waiting for node 3 to be cleared");
        assertThat(b.build().summary()).isEqualTo("""
                Transition summary: nothing to do
                Blocked: web: waiting for node 3 to be cleared
                """);
    }
}
