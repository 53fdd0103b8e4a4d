package dev.baton.core.membership;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Picks the surviving fully connected set: among all maximal cliques of the "hear each other"
 * graph, the one with the most votes, then the most nodes, then the lowest node ids. Every node
 * that sees the same graph picks the same set. Bron–Kerbosch with pivoting over bit sets of node
 * ids (at most 64); clusters are small and the graph is usually nearly complete, so it is cheap.
 */
public final class CliqueFinder {
    private final long[] neighbours;
    private final ToIntFunction<SortedSet<Integer>> votes;
    private SortedSet<Integer> best;
    private int bestVotes;

    private CliqueFinder(long[] neighbours, ToIntFunction<SortedSet<Integer>> votes) {
        this.neighbours = neighbours;
        this.votes = votes;
    }

    /**
     * @param nodes      bit i set when node id i takes part (ids 1..64 map to bits 0..63 as id-1)
     * @param neighbours neighbours[id-1]: the nodes that id hears and that hear id
     */
    public static SortedSet<Integer> best(long nodes, long[] neighbours, ToIntFunction<SortedSet<Integer>> votes) {
        CliqueFinder finder = new CliqueFinder(neighbours, votes);
        finder.expand(0L, nodes, 0L);
        return finder.best == null ? new TreeSet<>() : finder.best;
    }

    private void expand(long clique, long candidates, long excluded) {
        if (candidates == 0 && excluded == 0) {
            consider(clique);
            return;
        }
        int pivot = Long.numberOfTrailingZeros(candidates != 0 ? candidates : excluded);
        long choices = candidates & ~neighbours[pivot];
        while (choices != 0) {
            int v = Long.numberOfTrailingZeros(choices);
            long bit = 1L << v;
            expand(clique | bit, candidates & neighbours[v], excluded & neighbours[v]);
            candidates &= ~bit;
            excluded |= bit;
            choices &= ~bit;
        }
    }

    private void consider(long clique) {
        SortedSet<Integer> ids = toIds(clique);
        int cliqueVotes = votes.applyAsInt(ids);
        if (best == null || isBetter(ids, cliqueVotes)) {
            best = ids;
            bestVotes = cliqueVotes;
        }
    }

    private boolean isBetter(SortedSet<Integer> ids, int cliqueVotes) {
        if (cliqueVotes != bestVotes) {
            return cliqueVotes > bestVotes;
        }
        if (ids.size() != best.size()) {
            return ids.size() > best.size();
        }
        return lexicographicallySmaller(ids, best);
    }

    private static boolean lexicographicallySmaller(SortedSet<Integer> a, SortedSet<Integer> b) {
        var ia = a.iterator();
        var ib = b.iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int x = ia.next();
            int y = ib.next();
            if (x != y) {
                return x < y;
            }
        }
        return !ia.hasNext() && ib.hasNext();
    }

    public static SortedSet<Integer> toIds(long bits) {
        SortedSet<Integer> ids = new TreeSet<>();
        while (bits != 0) {
            int bit = Long.numberOfTrailingZeros(bits);
            ids.add(bit + 1);
            bits &= bits - 1;
        }
        return ids;
    }

    public static long bitOf(int nodeId) {
        return 1L << (nodeId - 1);
    }
}
