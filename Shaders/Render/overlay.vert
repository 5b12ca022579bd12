#version 430 core
// 2D vertices in pixel coordinates of the render target (origin top-left, y down) -> clip space.
// Shared by the preview (textured quad) and the overlay (rectangles and glyphs) programs.
// layout: location 0 position (pixels), 1 texture coordinate, 2 straight-alpha RGBA colour.
layout(location = 0) in vec2 position;
layout(location = 1) in vec2 texCoord;
layout(location = 2) in vec4 color;

uniform vec2 targetSize;   // render target width, height in pixels

out vec2 vTexCoord;
out vec4 vColor;

void main()
{
    vec2 ndc = position / targetSize * 2.0 - 1.0;   // [0,w]x[0,h] -> [-1,1]^2
    gl_Position = vec4(ndc.x, -ndc.y, 0.0, 1.0);     // y down in pixels, up in clip space
    vTexCoord = texCoord;
    vColor = color;
}
