using VisionPlugin.Engine.Layers;

namespace VisionPlugin.Engine.Onnx.Export;

/// <summary>
/// Which ONNX operators each layer type becomes (the per-concept classes hold the details). A layer type without
/// a mapping, including any type defined outside the engine, is refused with an <see cref="OnnxExportException"/>
/// naming the layer and its type.
/// </summary>
internal static class LayerMapping
{
    public static void Export(LayerExport e)
    {
        switch (e.Layer)
        {
            case Conv2dLayer conv: ConvolutionExport.Conv(e, conv); break;
            case WeightNormConv2dLayer weightNorm: ConvolutionExport.WeightNormConv(e, weightNorm); break;
            case ConvTranspose2dLayer transposed: ConvolutionExport.ConvTranspose(e, transposed); break;
            case LinearLayer linear: ConvolutionExport.Linear(e, linear); break;
            case DropConnectLinearLayer dropConnect: ConvolutionExport.DropConnectLinear(e, dropConnect); break;
            case BatchNormLayer batchNorm: TensorOpExport.BatchNorm(e, batchNorm); break;
            case LrnLayer lrn: TensorOpExport.Lrn(e, lrn); break;
            case ActivationLayer activation: ActivationExport.Elementwise(e, activation); break;
            case PReluLayer prelu: ActivationExport.PRelu(e, prelu); break;
            case CReluLayer: ActivationExport.CRelu(e); break;
            case MaxoutLayer maxout: ActivationExport.Maxout(e, maxout); break;
            case MaxPool2dLayer maxPool: PoolingExport.Max(e, maxPool); break;
            case AvgPool2dLayer avgPool: PoolingExport.Average(e, avgPool); break;
            case LpPool2dLayer lpPool: PoolingExport.Lp(e, lpPool); break;
            case GlobalAvgPoolLayer: PoolingExport.GlobalAverage(e); break;
            case GlobalMaxPoolLayer: PoolingExport.GlobalMax(e); break;
            case FlattenLayer flatten: TensorOpExport.Flatten(e, flatten); break;
            case ReshapeLayer: TensorOpExport.Reshape(e); break;
            case Pad2dLayer pad: TensorOpExport.Pad(e, pad); break;
            case ConcatLayer concat: TensorOpExport.Concat(e, concat); break;
            case AddLayer: TensorOpExport.Add(e); break;
            case BinaryElementwiseLayer binary: TensorOpExport.Binary(e, binary); break;
            case SoftmaxLayer softmax: TensorOpExport.Softmax(e, softmax); break;
            case DropoutLayer: TensorOpExport.Dropout(e); break;
            case ConstantLayer constant: DataMovementExport.Constant(e, constant); break;
            case ReshapeToLayer: DataMovementExport.ReshapeTo(e); break;
            case IndexGatherLayer gather: DataMovementExport.IndexGather(e, gather); break;
            case MatMulLayer matMul: MatrixExport.MatMul(e, matMul); break;
            case ShardedLinearLayer sharded: MatrixExport.ShardedLinear(e, sharded); break;
            case ReduceLayer reduce: ReductionExport.Reduce(e, reduce); break;
            case InstanceNormLayer instanceNorm: ReductionExport.InstanceNorm(e, instanceNorm); break;
            default:
                throw e.Refuse("the exporter has no ONNX mapping for this layer type (only the engine's own layer types export).");
        }
    }
}
