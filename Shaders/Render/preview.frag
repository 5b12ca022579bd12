#version 430 core
// Preview fragments: the camera frame texture (RGB, opaque).
in vec2 vTexCoord;
in vec4 vColor;

layout(binding = 0) uniform sampler2D frame;

out vec4 fragColor;

void main()
{
    fragColor = vec4(texture(frame, vTexCoord).rgb, 1.0);
}
