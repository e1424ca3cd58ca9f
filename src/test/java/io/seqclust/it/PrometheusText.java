package io.seqclust.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text exposition, by series ({@code name{labels}}). */
public final class PrometheusText {

    private PrometheusText() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(normalise(line.substring(0, space)), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** Labels sorted, so a series reads the same whatever order the registry wrote them in. */
    static String normalise(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        String[] labels = series.substring(brace + 1, series.length() - 1).split(",");
        java.util.Arrays.sort(labels);
        return series.substring(0, brace) + "{" + String.join(",", labels) + "}";
    }

    /**
     * The sum of the series named like {@code selector}'s name that carry all of its labels (and any
     * others): {@code m{a="1"}} sums {@code m{a="1",b="x"}} and {@code m{a="1",b="y"}}.
     */
    public static double sum(Map<String, Double> samples, String selector) {
        int brace = selector.indexOf('{');
        String name = brace < 0 ? selector : selector.substring(0, brace);
        List<String> labels = brace < 0 ? List.of()
                : List.of(selector.substring(brace + 1, selector.length() - 1).split(","));
        double total = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String series = e.getKey();
            int b = series.indexOf('{');
            String seriesName = b < 0 ? series : series.substring(0, b);
            List<String> seriesLabels = b < 0 ? List.of() : List.of(series.substring(b + 1, series.length() - 1).split(","));
            if (seriesName.equals(name) && seriesLabels.containsAll(labels)) {
                total += e.getValue();
            }
        }
        return total;
    }
}
