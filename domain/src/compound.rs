//! What describes a compound: how it is managed, how fees are charged, how far its
//! onboarding has come and which of the "五有" security basics it has.

use crate::code::code_enum;

code_enum!(
    /// The four management modes of the 襄阳 model.
    ManagementMode {
        /// 专业型 — a professional firm.
        Professional = "professional",
        /// 自治型 — owners govern themselves; the firm may provide only some services.
        SelfGoverned = "self_governed",
        /// 单位型 — the original work unit.
        WorkUnit = "work_unit",
        /// 社区型 — community trusteeship.
        Community = "community",
    }
);

code_enum!(
    /// Who owns the fees.
    ChargingMode {
        /// 包干制 — fees are the firm's revenue; it keeps the surplus or bears the loss.
        LumpSum = "lump_sum",
        /// 酬金制 — fees are the owners' money; the firm books only its commission.
        Commission = "commission",
    }
);

code_enum!(
    /// The 柳州 seven-step method for taking on a three-without compound, in order.
    OnboardingStage {
        Survey = "survey",
        Publicise = "publicise",
        SelfManagementTeam = "self_management_team",
        Mobilise = "mobilise",
        RaiseFunds = "raise_funds",
        Implement = "implement",
        Standardise = "standardise",
    }
);

impl OnboardingStage {
    /// The step number, 1–7, as the source documents count them.
    #[must_use]
    pub fn step(self) -> u8 {
        match self {
            Self::Survey => 1,
            Self::Publicise => 2,
            Self::SelfManagementTeam => 3,
            Self::Mobilise => 4,
            Self::RaiseFunds => 5,
            Self::Implement => 6,
            Self::Standardise => 7,
        }
    }
}

/// The "五有" security baseline: what a compound has of the five basics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SecurityBaseline {
    pub cctv: bool,
    pub gatehouse: bool,
    pub guard: bool,
    pub lighting: bool,
    pub gate: bool,
}

impl SecurityBaseline {
    /// How many of the five a compound has.
    #[must_use]
    pub fn met(self) -> u8 {
        [
            self.cctv,
            self.gatehouse,
            self.guard,
            self.lighting,
            self.gate,
        ]
        .into_iter()
        .map(u8::from)
        .sum()
    }

    #[must_use]
    pub fn complete(self) -> bool {
        self.met() == 5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for m in ManagementMode::ALL {
            assert_eq!(ManagementMode::from_code(m.code()), Some(*m));
        }
        for s in OnboardingStage::ALL {
            assert_eq!(OnboardingStage::from_code(s.code()), Some(*s));
        }
        assert_eq!(ChargingMode::from_code("nope"), None);
    }

    #[test]
    fn stages_are_numbered_in_order() {
        let steps: Vec<u8> = OnboardingStage::ALL.iter().map(|s| s.step()).collect();
        assert_eq!(steps, vec![1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn baseline_counts_the_five() {
        let half = SecurityBaseline {
            cctv: true,
            gate: true,
            ..Default::default()
        };
        assert_eq!(half.met(), 2);
        assert!(!half.complete());
        let all = SecurityBaseline {
            cctv: true,
            gatehouse: true,
            guard: true,
            lighting: true,
            gate: true,
        };
        assert!(all.complete());
    }
}
