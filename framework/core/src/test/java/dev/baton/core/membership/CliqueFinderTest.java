package dev.baton.core.membership;

import static dev.baton.core.membership.CliqueFinder.bitOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class CliqueFinderTest {
    private static long[] graph(int[][] edges) {
        long[] neighbours = new long[64];
        for (int[] e : edges) {
            neighbours[e[0] - 1] |= bitOf(e[1]);
            neighbours[e[1] - 1] |= bitOf(e[0]);
        }
        return neighbours;
    }

    private static long nodes(int... ids) {
        long bits = 0;
        for (int id : ids) {
            bits |= bitOf(id);
        }
        return bits;
    }

    @Test
    void aFullyConnectedClusterIsItsOwnBestSet() {
        SortedSet<Integer> best = CliqueFinder.best(nodes(1, 2, 3), graph(new int[][] {{1, 2}, {2, 3}, {1, 3}}), SortedSet::size);
        assertThat(best).containsExactly(1, 2, 3);
    }

    @Test
    void aNodeNobodyHearsIsLeftOut() {
        SortedSet<Integer> best = CliqueFinder.best(nodes(1, 2, 3), graph(new int[][] {{2, 3}}), SortedSet::size);
        assertThat(best).containsExactly(2, 3);
    }

    @Test
    void moreVotesBeatMoreNodes() {
        long[] g = graph(new int[][] {{1, 2}, {3, 4}, {4, 5}, {3, 5}});
        SortedSet<Integer> best = CliqueFinder.best(nodes(1, 2, 3, 4, 5), g, ids -> ids.contains(1) ? 10 : ids.size());
        assertThat(best).containsExactly(1, 2);
    }

    @Test
    void tiesGoToTheLowestNodeIdsSoEveryNodePicksTheSameSet() {
        long[] g = graph(new int[][] {{1, 2}, {3, 4}});
        assertThat(CliqueFinder.best(nodes(1, 2, 3, 4), g, SortedSet::size)).containsExactly(1, 2);
        assertThat(CliqueFinder.best(nodes(4, 3, 2, 1), g, SortedSet::size)).containsExactly(1, 2);
    }

    @Test
    void aChainHasNoTriangleSoTheBestPairWins() {
        long[] g = graph(new int[][] {{1, 2}, {2, 3}});
        assertThat(CliqueFinder.best(nodes(1, 2, 3), g, SortedSet::size)).containsExactly(1, 2);
    }
}
