package io.seqclust.cli;

import io.seqclust.clustering.Rddc;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TorchPeerTest {

    private static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");

    @Test
    void theBatchIsWrittenAsKAndDThenOneSequencePerLine() {
        String text = TorchPeer.batchText(List.of(new double[][] {{1, 2}, {3, 4.5}}, new double[][] {{-1, 0.25}}), 3);
        assertEquals("3 2\n1.000000 2.000000 3.000000 4.500000 \n-1.000000 0.2500000 \n", text);
    }

    @Test
    void aPythonThatIsNotThereIsNoPeer() {
        assertTrue(TorchPeer.find(List.of("/nonexistent/python3")).isEmpty());
    }

    /** The real peer (Debian's python3-torch; .ci/run installs it) times the step on a small batch. */
    @Test
    void thePeerTimesTheRddcStepOnTheBatchItIsGiven() throws Exception {
        Optional<TorchPeer> peer = TorchPeer.find(PYTHONS);
        assumeTrue(peer.isPresent(), "no Python with torch among " + PYTHONS + " (apt-get install python3-torch): not run");
        Random r = new Random(5);
        List<double[][]> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double[][] x = new double[3 + r.nextInt(6)][2];
            for (double[] row : x) {
                row[0] = r.nextGaussian();
                row[1] = r.nextGaussian();
            }
            batch.add(x);
        }
        List<TorchPeer.Timing> timings = peer.get().time(batch, 3, Rddc.Settings.DEFAULTS, 2, List.of(1, 2));
        assertEquals(List.of(1, 2), timings.stream().map(TorchPeer.Timing::threads).toList());
        assertTrue(timings.stream().allMatch(t -> t.ms() > 0 && Double.isFinite(t.ms())), timings::toString);
    }
}
