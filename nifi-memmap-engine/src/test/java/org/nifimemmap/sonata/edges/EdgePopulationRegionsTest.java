package org.nifimemmap.sonata.edges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.index.SynapseSink;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.morphology.H5py;

/**
 * The rows a read sends to each of several regions are exactly those {@link Region#contains} places there, first region
 * first: for rows in runs of one cell (whole blocks inside a region or outside all), runs that cross region faces,
 * centres exactly on faces, and faces that are doubles no float equals.
 */
class EdgePopulationRegionsTest {
    @TempDir
    Path dir;

    private static final class Rows implements SynapseSink {
        final List<Long> ids = new ArrayList<>();
        final List<float[]> centres = new ArrayList<>();

        @Override
        public void add(float x, float y, float z, long edgeId, long preGid, long postGid) {
            ids.add(edgeId);
            centres.add(new float[] {x, y, z});
        }

        @Override
        public void add(float x, float y, float z, long edgeId, long preGid, long postGid, double[] extras) {
            add(x, y, z, edgeId, preGid, postGid);
        }
    }

    @Test
    void eachRowGoesToTheFirstRegionThatHoldsIt() throws Exception {
        Path edges = dir.resolve("edges.h5");
        // 300 cells' synapses in runs (edge files are ordered by target), then rows exactly on the faces used below.
        H5py.run("""
                rng = np.random.default_rng(5)
                centres = rng.uniform(0, 1000, (300, 3))
                post = np.sort(rng.integers(0, 300, 200000))
                pos = (centres[post] + rng.normal(0, 40, (len(post), 3))).astype('float32')
                faces = np.array([[500.0, 250.0, 700.0], [np.float32(250.00001), np.float32(600.0), 100.0]], dtype='float32')
                pos[1000:1006] = np.repeat(faces, 3, axis=0)
                pos[150000:150100, 0] = 500.0
                with h5py.File('%s', 'w') as h:
                    g = h.create_group('edges/p')
                    a = g.create_group('0')
                    for i, n in enumerate('xyz'):
                        a.create_dataset('afferent_center_' + n, data=pos[:, i], chunks=(65536,))
                    g.create_dataset('source_node_id', data=np.arange(len(post), dtype='int64'), chunks=(65536,))
                    g.create_dataset('target_node_id', data=post.astype('int64'), chunks=(65536,))
                """.formatted(edges));
        double inf = Double.POSITIVE_INFINITY;
        double between = Math.nextUp((double) 250.00001f); // above that float, below the next one
        List<Region> plan = new ArrayList<>();
        for (double[] x : new double[][] {{-inf, 500}, {500, inf}}) {
            for (double[] y : new double[][] {{-inf, between}, {between, 600.0000000001}, {600.0000000001, inf}}) {
                plan.add(new Region(x[0], y[0], -inf, x[1], y[1], inf));
            }
        }
        plan.add(new Region(300, 300, 300, 300, 400, 400)); // empty
        plan.add(new Region(200, 200, 200, 800, 800, 800)); // overlaps others: only rows no earlier region holds
        try (EdgesFile file = EdgesFile.open(edges)) {
            EdgePopulation pop = file.population("p", List.of());
            Rows all = new Rows();
            pop.readInto(all, null);
            assertEquals(200_000, all.ids.size());
            Random rnd = new Random(11);
            List<List<Integer>> choices = new ArrayList<>(List.of(List.of(0, 2, 4), List.of(3), List.of(0, 1, 2, 3, 4, 5),
                    List.of(7, 1, 6), List.of(6)));
            for (int c = 0; c < 10; c++) {
                List<Integer> pick = new ArrayList<>();
                for (int r = 0; r < plan.size(); r++) {
                    if (rnd.nextBoolean()) {
                        pick.add(r);
                    }
                }
                if (!pick.isEmpty()) {
                    choices.add(pick);
                }
            }
            for (List<Integer> choice : choices) {
                List<Region> regions = choice.stream().map(plan::get).toList();
                List<Rows> sinks = regions.stream().map(r -> new Rows()).toList();
                pop.readInto(sinks, regions);
                List<List<Long>> want = new ArrayList<>();
                regions.forEach(r -> want.add(new ArrayList<>()));
                for (int i = 0; i < all.ids.size(); i++) {
                    float[] p = all.centres.get(i);
                    for (int r = 0; r < regions.size(); r++) {
                        if (regions.get(r).contains(p[0], p[1], p[2])) {
                            want.get(r).add(all.ids.get(i));
                            break;
                        }
                    }
                }
                for (int r = 0; r < regions.size(); r++) {
                    List<Long> got = sinks.get(r).ids;
                    assertTrue(want.get(r).equals(got), "region " + regions.get(r) + " of " + choice + ": " + got.size() + " rows, "
                            + want.get(r).size() + " expected");
                }
                // Two readers, each with the sinks of every other region (null for the rest), route as one does.
                List<Rows> split = regions.stream().map(r -> new Rows()).toList();
                for (int half = 0; half < 2 && regions.size() > 1; half++) {
                    List<Rows> mine = new ArrayList<>();
                    for (int r = 0; r < regions.size(); r++) {
                        mine.add(r % 2 == half ? split.get(r) : null);
                    }
                    pop.readInto(mine, regions);
                }
                for (int r = 0; r < regions.size() && regions.size() > 1; r++) {
                    assertEquals(want.get(r), split.get(r).ids, "region " + regions.get(r) + " of " + choice + ", read in two halves");
                }
                if (choice.equals(List.of(0, 1, 2, 3, 4, 5))) {
                    assertEquals(200_000, sinks.stream().mapToInt(s -> s.ids.size()).sum(), "the six regions tile space");
                    assertTrue(sinks.get(3).ids.contains(1000L), "x = 500 exactly lies in the region whose min x is 500");
                    assertTrue(sinks.get(1).ids.contains(1003L), "y = 250.00001f lies below a face just above it");
                }
            }
        }
    }
}
