// colors.h — the colours that carry a meaning on every screen, so an error looks the same everywhere.
#pragma once

#include <imgui.h>

namespace kehu::client {

inline constexpr ImU32 kRed = IM_COL32(200, 50, 50, 255);     // an error, a refusal
inline constexpr ImU32 kGreen = IM_COL32(30, 140, 60, 255);   // a change that worked
inline constexpr ImU32 kGrey = IM_COL32(110, 110, 110, 255);  // a quiet remark
inline constexpr ImU32 kAmber = IM_COL32(180, 110, 0, 255);   // a warning to act on now

}  // namespace kehu::client
