package io.seqclust.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LabelledSetTest {

    @Test
    void mergesTrainThenTestAndRemembersWhereTestStarts(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("Toy"));
        Files.writeString(folder.resolve("Toy_TRAIN.ts"), "# toy\n@problemName Toy\n@data\n1,2,3:4,5,6:a\n7,8:9,10:b\n");
        Files.writeString(folder.resolve("Toy_TEST.tsv"), "b\t1.5\t2.5\tNaN\tNaN\na\t3\t4\t5\tNaN\n");
        LabelledSet set = LabelledSet.read(dir, "Toy");
        assertEquals(4, set.sequences().size());
        assertEquals(2, set.trainSize());
        assertEquals(2, set.classes());
        assertArrayEquals(new int[] {0, 1, 1, 0}, set.labels());
        assertArrayEquals(new double[] {3, 6}, set.sequences().get(0)[2]);
        assertEquals(2, set.sequences().get(2).length, "trailing NaN padding is not part of the series");
        assertEquals(3, set.sequences().get(3).length);
    }

    @Test
    void aSingleFileIsAllTraining(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("One.ts"), "@data\n1,2:x\n3,4,5:y\n");
        LabelledSet set = LabelledSet.read(dir, "One");
        assertEquals(2, set.trainSize());
        assertEquals(set.sequences().size(), set.trainSize());
    }
}
