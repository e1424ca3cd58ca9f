package io.seqclust.assignment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchPassTest {

    @Test
    void aBatchIsSplitOnlyIntoChunksOfAtLeastTheMinimum() {
        assertEquals(1, BatchPass.chunks(7, 2), "fewer than two chunks' worth stays on the stream thread");
        assertEquals(2, BatchPass.chunks(8, 2));
        assertEquals(2, BatchPass.chunks(16, 2));
        assertEquals(2, BatchPass.chunks(11, 4));
        assertEquals(4, BatchPass.chunks(16, 4));
        assertEquals(1, BatchPass.chunks(16, 1));
        assertEquals(1, BatchPass.chunks(0, 4));
    }

    /** Contiguous chunks, the first on the calling thread, the outputs in the batch's order. */
    @Test
    void theOutputsComeInTheBatchsOrderFromChunksOnSeveralThreads() {
        List<Integer> batch = IntStream.range(0, 19).boxed().toList();
        Set<Long> threads = ConcurrentHashMap.newKeySet();
        List<List<Integer>> chunks = Collections.synchronizedList(new ArrayList<>());
        List<String> out = BatchPass.run(batch, 4, chunk -> {
            threads.add(Thread.currentThread().getId());
            chunks.add(List.copyOf(chunk));
            return chunk.stream().map(i -> "out-" + i).toList();
        });
        assertEquals(batch.stream().map(i -> "out-" + i).toList(), out);
        assertEquals(4, chunks.size());
        assertTrue(chunks.stream().allMatch(c -> c.size() >= BatchPass.MIN_CHUNK), chunks.toString());
        assertTrue(chunks.stream().allMatch(c -> c.get(c.size() - 1) - c.get(0) == c.size() - 1), "contiguous: " + chunks);
        assertTrue(threads.contains(Thread.currentThread().getId()), threads.toString());
        assertTrue(threads.size() >= 2, "a helper took a chunk: " + threads); // a helper may take two, one after the other
    }

    @Test
    void aChunksFailureIsThePassFailure() {
        List<Integer> batch = IntStream.range(0, 16).boxed().toList();
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing : new int[] {0, 9}) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> BatchPass.run(batch, 2, chunk -> {
                if (chunk.contains(failing)) {
                    throw boom;
                }
                return chunk;
            }));
            assertSame(boom, thrown, "record " + failing);
        }
        assertThrows(StackOverflowError.class, () -> BatchPass.run(batch, 2, chunk -> {
            if (chunk.contains(12)) {
                throw new StackOverflowError();
            }
            return chunk;
        }));
    }
}
