using VisionPlugin.Visualization;

namespace VisionPlugin.Tests.Visualization;

public sealed class AxisTicksTests
{
    [Theory]
    [InlineData(0.13, 0.2)]
    [InlineData(0.2, 0.2)]
    [InlineData(0.21, 0.5)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(1000, 1000)]
    [InlineData(1.2e-4, 2e-4)]
    public void Nice_steps_are_1_2_or_5_times_a_power_of_ten(double value, double expected) =>
        Assert.Equal(expected, AxisTicks.NiceStepAtLeast(value), 12);

    [Theory]
    [InlineData(5, 0)]
    [InlineData(0.5, 1)]
    [InlineData(0.25, 2)]
    [InlineData(0.02, 2)]
    [InlineData(20, 0)]
    public void Labels_carry_the_decimals_the_step_needs(double step, int decimals) =>
        Assert.Equal(decimals, AxisTicks.DecimalsFor(step));

    [Fact]
    public void Value_axis_snaps_outwards_to_round_ticks()
    {
        var axis = AxisTicks.Create(0.13, 2.07, maxTickCount: 5, snapToTicks: true, integerSteps: false);
        Assert.Equal(0.5, axis.Step);
        Assert.Equal((0.0, 2.5), (axis.Min, axis.Max));
        Assert.Equal(["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"], axis.Labels());
    }

    [Fact]
    public void Epoch_axis_keeps_the_data_range_and_whole_number_ticks()
    {
        var axis = AxisTicks.Create(1, 30, maxTickCount: 15, snapToTicks: false, integerSteps: true);
        Assert.Equal((1.0, 30.0, 2.0), (axis.Min, axis.Max, axis.Step));
        Assert.Equal(Enumerable.Range(1, 15).Select(k => (2.0 * k).ToString()), axis.Labels());
        var fewEpochs = AxisTicks.Create(1, 3, maxTickCount: 20, snapToTicks: false, integerSteps: true);
        Assert.Equal(["1", "2", "3"], fewEpochs.Labels());
    }

    [Theory]
    [InlineData(0.5, 0.5)]
    [InlineData(0.0, 0.0)]
    [InlineData(-3.0, -3.0)]
    [InlineData(double.NaN, double.NaN)]
    public void One_value_or_none_gives_a_proper_range_around_it(double low, double high)
    {
        foreach (bool snap in new[] { true, false })
        {
            var axis = AxisTicks.Create(low, high, 5, snap, integerSteps: false);
            Assert.True(axis.Max > axis.Min);
            Assert.True(double.IsFinite(axis.Min) && double.IsFinite(axis.Max) && axis.Step > 0);
            Assert.NotEmpty(axis.Ticks);
            if (!double.IsNaN(low)) Assert.InRange(low, axis.Min, axis.Max);
        }
    }

    [Fact]
    public void Floor_and_ceiling_bound_the_snapped_range_but_never_cut_the_data()
    {
        var accuracy = AxisTicks.Create(100, 100, 5, snapToTicks: true, integerSteps: false, floor: 0, ceiling: 100);
        Assert.Equal(100, accuracy.Max);
        Assert.Contains(100.0, accuracy.Ticks);
        var loss = AxisTicks.Create(0.02, 0.9, 5, snapToTicks: true, integerSteps: false, floor: 0);
        Assert.Equal(0, loss.Min);
        var outside = AxisTicks.Create(-0.3, 0.9, 5, snapToTicks: true, integerSteps: false, floor: 0);
        Assert.True(outside.Min <= -0.3);
    }

    [Fact]
    public void Zero_never_prints_with_a_minus_sign()
    {
        var axis = AxisTicks.Create(-0.3, 0.3, 6, snapToTicks: true, integerSteps: false);
        Assert.Contains("0.0", axis.Labels());
        Assert.DoesNotContain("-0.0", axis.Labels());
    }
}
