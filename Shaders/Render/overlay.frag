#version 430 core
// Overlay fragments: vertex colour with alpha scaled by the glyph atlas coverage (R8: 0 = none, 1 = full).
// Solid rectangles sample the atlas's opaque white texel, so one draw covers panels, bars and text.
in vec2 vTexCoord;
in vec4 vColor;

layout(binding = 0) uniform sampler2D atlas;

out vec4 fragColor;

void main()
{
    fragColor = vec4(vColor.rgb, vColor.a * texture(atlas, vTexCoord).r);
}
