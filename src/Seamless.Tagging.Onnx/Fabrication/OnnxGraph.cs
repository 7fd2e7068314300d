using Onnx;

namespace Seamless.Tagging.Onnx.Fabrication;

/// <summary>The few ONNX protobuf pieces Seamless writes: float tensor values, initialisers and nodes with int-list attributes.</summary>
public static class OnnxGraph
{
    /// <summary>A float32 tensor value; negative dimensions become the symbolic batch dimension.</summary>
    public static ValueInfoProto Value(string name, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var t = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        foreach (var d in dims)
        {
            t.Shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }

    public static TensorProto Floats(string name, long[] dims, IEnumerable<float> values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    public static TensorProto Longs(string name, long[] dims, IEnumerable<long> values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        return t;
    }

    public static NodeProto Node(string op, string[] inputs, string output, params (string Name, long[] Ints)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var n = new NodeProto { OpType = op, Name = output + "_" + op };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        foreach (var (name, ints) in attributes)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            a.Ints.AddRange(ints);
            n.Attribute.Add(a);
        }

        return n;
    }

    /// <summary>A model of one graph at opset 13 (IR 8), which every ONNX Runtime since 1.10 reads.</summary>
    public static ModelProto Model(GraphProto graph, string producerVersion)
    {
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "seamless", ProducerVersion = producerVersion };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }
}
