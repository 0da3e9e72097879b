using Atelier.Imaging;

namespace Atelier.Core.Tests.Imaging;

public sealed class DecodeBudgetTests
{
    [Fact]
    public async Task A_decode_waits_while_the_others_would_take_the_total_over_the_budget_and_one_always_runs()
    {
        var budget = new DecodeBudget(100);
        using (budget.Reserve(1_000)) Assert.Equal(1_000, budget.Reserved); // alone, a picture over the budget still decodes
        Assert.Equal(0, budget.Reserved);

        var first = budget.Reserve(60);
        using var second = budget.Reserve(30); // fits beside it
        var acquired = new ManualResetEventSlim();
        var third = Task.Run(() =>
        {
            var r = budget.Reserve(60);
            acquired.Set();
            return r;
        });
        Assert.False(acquired.Wait(300), "a reservation that does not fit went ahead");
        Assert.Equal(90, budget.Reserved);
        first.Dispose();
        Assert.True(acquired.Wait(5_000), "a reservation that fits after a release kept waiting");
        Assert.Equal(90, budget.Reserved);
        var reservation = await third;
        reservation.Dispose();
        reservation.Dispose(); // twice is once
        Assert.Equal(30, budget.Reserved);
    }

    [Fact]
    public void A_waiting_reservation_can_be_cancelled()
    {
        var budget = new DecodeBudget(10);
        using var held = budget.Reserve(10);
        using var cancel = new CancellationTokenSource(200);
        Assert.Throws<OperationCanceledException>(() => budget.Reserve(5, cancel.Token));
        Assert.Equal(10, budget.Reserved);
    }
}
