package io.spillway.node.metrics;

/**
 * A summary's state at scrape time: quantiles over the recent interval, and lifetime count and sum.
 *
 * @param quantiles e.g. {@code {0.5, 0.99, 0.999}}
 * @param values    the value at each quantile, in the summary's base unit (seconds, bytes)
 * @param count     observations since start
 * @param sum       sum of observations since start
 */
public record SummarySnapshot(double[] quantiles, double[] values, long count, double sum) {
    public SummarySnapshot {
        if (quantiles.length != values.length) {
            throw new IllegalArgumentException("quantiles and values differ in length");
        }
        quantiles = quantiles.clone();
        values = values.clone();
    }
}
