package io.seqclust.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqclust.model.loss.LossTerms;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aLossOfSeveralTermsReadsAsTheLossAndItsTerms() {
        Progress p = new Progress(3, 30, LossTerms.of("ddc", 0.5, "regularisation", 0.25), 6.0);
        assertEquals("epoch 3/30: loss 0.7500 (ddc 0.5000, regularisation 0.2500), 2.00 s/epoch, ETA 54 s", p.toString());
    }

    /** minirocket's steps report a count of components, then an inertia: the log must not call either a loss. */
    @Test
    void aLoneFigureReadsUnderItsOwnName() {
        assertEquals("epoch 1/6: components 41.00, 0.50 s/epoch, ETA 3 s",
                new Progress(1, 6, LossTerms.of("components", 41), 0.5).toString());
        assertEquals("epoch 6/6: inertia 2702, 0.50 s/epoch, ETA 0 s",
                new Progress(6, 6, LossTerms.of("inertia", 2702.0296), 3.0).toString());
    }
}
