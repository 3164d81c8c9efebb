namespace StreamingApp.Tests.Components.Stream;

public sealed class PipelineSelectorTests : UiTests
{
    [Fact]
    public void Render_Catalog_ListsEveryPipelineInALabelledSelectWithTheValueSelected()
    {
        var cut = Ui.Render<PipelineSelector>(p => p.Add(s => s.Value, "yolo"));

        Assert.Equal("Pipeline", cut.Find("label > span").TextContent);
        var options = cut.FindAll("select option");
        Assert.Equal(["ocr", "yolo"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal(["Text (PP-OCRv4)", "Objects (YOLOX-nano)"], options.Select(o => o.TextContent));
        Assert.Equal("yolo", cut.Find("select").GetAttribute("value"));
    }

    [Fact]
    public void Change_OtherPipeline_RaisesValueChangedWithItsId()
    {
        string? chosen = null;
        var cut = Ui.Render<PipelineSelector>(p => p
            .Add(s => s.Value, "yolo")
            .Add(s => s.ValueChanged, (string id) => chosen = id));

        cut.Find("select").Change("ocr");

        Assert.Equal("ocr", chosen);
    }

    [Fact]
    public void Render_ValueTheCatalogLacks_ListsItAsUnavailable()
    {
        var cut = Ui.Render<PipelineSelector>(p => p.Add(s => s.Value, "nonexistent"));

        var last = cut.FindAll("select option")[^1];
        Assert.Equal("nonexistent", last.GetAttribute("value"));
        Assert.Equal("nonexistent (unavailable)", last.TextContent);
    }

    [Fact]
    public void Render_Disabled_DisablesTheSelect()
    {
        var cut = Ui.Render<PipelineSelector>(p => p.Add(s => s.Value, "yolo").Add(s => s.Disabled, true));

        Assert.True(cut.Find("select").HasAttribute("disabled"));
    }
}
