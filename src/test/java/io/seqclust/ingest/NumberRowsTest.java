package io.seqclust.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class NumberRowsTest {

    private static final InputLimits LIMITS = new InputLimits(1_000_000, 10_000, 1000, 256, 1e300, 8, 16384);

    /**
     * Every form of number JSON allows, on and off the exact fast path (long mantissas, large and tiny exponents,
     * subnormals, integers past a long, both zeros), comes out as the double Jackson's tree holds, bit for bit.
     */
    @Test
    void eachNumberIsTheDoubleJacksonsTreeHolds() throws Exception {
        Random random = new Random(5);
        List<String> numbers = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1", "-1", "10", "1e22", "1e23", "1E-22",
                "1e-23", "9007199254740993", "9007199254740992.5", "123456789012345678", "1234567890123456789",
                "-98765432109876543210987654321", "0.1", "0.30000000000000004", "2.2250738585072011e-308", "4.9e-324",
                "1.7976931348623157e308", "1e+5", "1e-5", "12.5e3", "0.000001234", "3.4028235E38", "1.0E-45", "1e0000005"));
        for (int i = 0; i < 3000; i++) {
            double d = switch (i % 4) {
                case 0 -> random.nextGaussian();
                case 1 -> (float) random.nextGaussian() * 100;
                case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                default -> random.nextLong() / 1e3;
            };
            numbers.add(i % 4 == 1 ? Float.toString((float) d) : Double.toString(d));
        }
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < numbers.size(); i += 4) {
            rows.append(i == 0 ? "" : ",\n ").append("[ ").append(String.join(" ,\t", numbers.subList(i, Math.min(i + 4, numbers.size()))))
                    .append("]");
        }
        rows.append("]");
        byte[] bytes = ("{\"v\":" + rows + "}").getBytes(StandardCharsets.US_ASCII);
        NumberRows.Scan scan = NumberRows.read(bytes, 5);
        assertNotNull(scan, "read");
        assertEquals(bytes.length - 1, scan.end());
        JsonNode tree = new StrictJson(LIMITS).read(bytes, "a record").get("v");
        int n = 0;
        for (int r = 0; r < tree.size(); r++) {
            assertEquals(tree.get(r).size(), scan.rows()[r].length);
            for (int c = 0; c < tree.get(r).size(); c++, n++) {
                assertEquals(Double.doubleToRawLongBits(tree.get(r).get(c).doubleValue()), Double.doubleToRawLongBits(scan.rows()[r][c]),
                        numbers.get(n));
            }
        }
        assertEquals(numbers.size(), n);
    }

    /** What is not plain rows of JSON numbers is left to Jackson. */
    @Test
    void anythingElseIsLeftToJackson() {
        for (String json : new String[] {"[]", "[[]]", "[[1],]", "[[1,]]", "[1]", "[[1]", "[[01]]", "[[-]]", "[[1.]]",
                "[[.5]]", "[[+1]]", "[[1e]]", "[[1e+]]", "[[NaN]]", "[[-Infinity]]", "[[\"1\"]]", "[[null]]", "[[1 2]]", "[[1]2]",
                "[[1x]]", "[[1-2]]", "[[0x10]]", "[[" + "1".repeat(65) + "]]", "[[1],[2]", "[ [1] , [true] ]"}) {
            assertNull(NumberRows.read(json.getBytes(StandardCharsets.US_ASCII), 0), json);
        }
    }
}
