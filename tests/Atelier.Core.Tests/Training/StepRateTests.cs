using Atelier.Training;

namespace Atelier.Core.Tests.Training;

public sealed class StepRateTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Rate_spans_the_window_and_drops_older_samples()
    {
        var rate = new StepRate(S(10));
        rate.Add(S(0), 0);
        rate.Add(S(1), 10);
        rate.Add(S(2), 30);
        Assert.Equal(15, rate.StepsPerSecond); // 30 steps in 2 s
        Assert.Equal(S(2), rate.Remaining(60)); // 30 left at 15/s

        var narrow = new StepRate(S(1));
        narrow.Add(S(0), 0);
        narrow.Add(S(1), 10);
        narrow.Add(S(2), 30);
        Assert.Equal(20, narrow.StepsPerSecond); // (0, 0) is older than 1 s: 20 steps in the last second
    }

    [Fact]
    public void A_resumed_run_counts_only_the_steps_it_makes()
    {
        var rate = new StepRate(S(30));
        rate.Add(S(0), 5000);
        Assert.Null(rate.StepsPerSecond);
        Assert.Null(rate.Remaining(6000));
        rate.Add(S(2), 5020);
        Assert.Equal(10, rate.StepsPerSecond);
        Assert.Equal(S(98), rate.Remaining(6000));
    }

    [Fact]
    public void A_rollback_starts_the_window_again_and_too_short_a_span_has_no_rate()
    {
        var rate = new StepRate(S(30));
        rate.Add(S(0), 0);
        rate.Add(S(1), 100);
        rate.Add(S(2), 50); // rewound to an earlier checkpoint
        Assert.Null(rate.StepsPerSecond);
        rate.Add(S(2.1), 51);
        Assert.Null(rate.StepsPerSecond); // 0.1 s is not enough to say
        rate.Add(S(4), 70);
        Assert.Equal(10, rate.StepsPerSecond);
        Assert.Equal(TimeSpan.Zero, rate.Remaining(60)); // past the total: nothing left
    }
}
